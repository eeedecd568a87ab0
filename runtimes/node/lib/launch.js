'use strict';
// launch.js — the Node.js engine of wasisock-run and wasisock-python.
//
//   node launch.js PLAN-JSON
//
// The commands themselves are native (runtimes/common): they parse the
// command line, set up the guest's world once for every engine, and exec
// node here with the plan as JSON (runtimes/common/plan_json.c has its
// fields) when the engine is node.  Nothing here parses a command line.
//
// wasisock-run's plan runs through runner.run(); wasisock-python's runs
// python.wasm in a worker thread with a big stack and V8's compiled-code
// cache (python.js).  The exit status is the guest's (runner.EXIT_* when
// it cannot run).

const runner = require('./runner.js');

function fail(prog, e) {
  if (e instanceof runner.RunError || (e && e.code === 'ERR_WASISOCK_ADDON')) {
    process.stderr.write(`${prog}: ${e.message}\n`);
    return e.exitCode || runner.EXIT_LOAD;
  }
  process.stderr.write(`${prog}: internal error: ${e && e.stack ? e.stack : e}\n`);
  return runner.EXIT_LOAD;
}

// The plan's run() options.
function runOptions(plan) {
  return {
    wasm: plan.module,
    name: plan.module,
    args: plan.argv,
    env: Object.fromEntries(plan.env),
    preopens: Object.fromEntries(plan.dirs),
    maxSockets: plan.maxSockets ?? undefined,
    policy: plan.rules,
    logDenials: plan.logDenials ?? undefined,
    prog: plan.prog,
    // Opened by the front end (runtimes/common/listen.c), inherited here.
    listeners: plan.listen || [],
    trace: plan.traceFd ?? null,
  };
}

async function main(json) {
  let plan;
  try {
    plan = JSON.parse(json);
  } catch (e) {
    process.stderr.write(`launch.js: not a plan (${e.message}); run wasisock-run or wasisock-python\n`);
    return runner.EXIT_USAGE;
  }
  const options = runOptions(plan);
  try {
    if (plan.action === 'check') return await runner.check(options);
    if (plan.command === 'python') return await require('./python.js').run(plan, options);
    return await runner.run(options);
  } catch (e) {
    return fail(plan.prog, e);
  }
}

if (require.main === module) {
  main(process.argv[2]).then((code) => { process.exitCode = code; });
}

module.exports = { main, runOptions };
