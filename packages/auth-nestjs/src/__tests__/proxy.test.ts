import { describeProxy } from '../../../auth-core/src/__tests__/proxy/proxyScenarios.js';
import { startScenarioApp } from './scenarioApp.js';

// The Paymo proxy suite of auth-core, through a real Nest app: the same answers as Express.
describeProxy('nest', startScenarioApp);
