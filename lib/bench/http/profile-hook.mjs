// Preloaded into `next start` by the HTTP bench's profile run (lib/bench/http/profile.ts:
// NODE_OPTIONS=--import this file, ROSTER_BENCH_PROFILE_DIR set): SIGUSR2 starts the V8 CPU
// profiler in this process, the next SIGUSR2 stops it and writes DIR/<pid>-<n>.cpuprofile, so a
// profile covers exactly the measured requests (not start-up or warm-up). Inert without the variable.
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

const dir = process.env.ROSTER_BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  let running = false;
  let written = 0;
  process.on('SIGUSR2', () => {
    running = !running;
    if (running) {
      void post('Profiler.enable')
        .then(() => post('Profiler.setSamplingInterval', { interval: 200 }))
        .then(() => post('Profiler.start'))
        .then(() => writeFileSync(path.join(dir, `${process.pid}.started`), ''));
    } else {
      void post('Profiler.stop').then(({ profile }) => {
        const file = path.join(dir, `${process.pid}-${written++}.cpuprofile`);
        // Written whole under another name first: the bench waits for the final name only.
        writeFileSync(`${file}.part`, JSON.stringify(profile));
        renameSync(`${file}.part`, file);
      });
    }
  });
}
