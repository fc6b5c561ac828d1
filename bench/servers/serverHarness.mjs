// What every benchmark server shares: it tells the parent its URL over IPC and answers its messages.
//   'cpu-start' / 'cpu-stop'     -> { cpuMicros }: this process's CPU time around a measured run
//   'count-start' / 'count-stop' -> { commands: { NAME: n } }: Redis commands this process sent meanwhile
//   'stop'                       -> closes and exits
// Redis commands are counted through the clients' own diagnostics_channel tracing (ioredis 6 and
// node-redis 5 both publish every command they send), not with MONITOR and not by patching them.
// Neither client pipelines here, so each command is one round trip. The subscription is only open
// during the counting phase: tracing has a cost, and the timed runs are made without it.
import diagnostics from 'node:diagnostics_channel';

const channels = ['tracing:ioredis:command:start', 'tracing:node-redis:command:start'];

export function setupServer({ url, close }) {
  let cpuAtStart = process.cpuUsage();
  let commands = {};
  const onCommand = ({ command }) => {
    const name = String(command).toUpperCase();
    commands[name] = (commands[name] ?? 0) + 1;
  };
  process.on('message', (message) => {
    if (message === 'cpu-start') cpuAtStart = process.cpuUsage();
    if (message === 'cpu-stop') {
      const used = process.cpuUsage(cpuAtStart);
      process.send({ cpuMicros: used.user + used.system });
    }
    if (message === 'count-start') {
      commands = {};
      for (const channel of channels) diagnostics.subscribe(channel, onCommand);
      process.send({ counting: true });
    }
    if (message === 'count-stop') {
      for (const channel of channels) diagnostics.unsubscribe(channel, onCommand);
      process.send({ commands });
    }
    if (message === 'stop') void close().finally(() => process.exit(0));
  });
  process.send({ url });
}
