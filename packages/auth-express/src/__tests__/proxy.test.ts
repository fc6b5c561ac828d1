import { describeProxy } from '../../../auth-core/src/__tests__/proxy/proxyScenarios.js';
import { expressVersions } from './harness.js';
import { startScenarioApp } from './scenarioApp.js';

// The Paymo proxy suite of auth-core, through a real Express app on each supported major.
for (const [name, lib] of expressVersions) describeProxy(name, startScenarioApp(lib));
