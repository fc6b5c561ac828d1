import { describeAbuse } from '../../../auth-core/src/__tests__/abuse/abuseScenarios.js';
import { expressVersions } from './harness.js';
import { startScenarioApp } from './scenarioApp.js';

// The abuse suite of auth-core, through a real Express app on each supported major.
for (const [name, lib] of expressVersions) describeAbuse(name, startScenarioApp(lib));
