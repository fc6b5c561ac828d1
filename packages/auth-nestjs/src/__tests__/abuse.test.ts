import { describeAbuse } from '../../../auth-core/src/__tests__/abuse/abuseScenarios.js';
import { startScenarioApp } from './scenarioApp.js';

// The abuse suite of auth-core, through a real Nest app (Express platform, Nest's own body parser).
describeAbuse('nest', startScenarioApp);
