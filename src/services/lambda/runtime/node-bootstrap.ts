// The Node.js runtime client that runs inside each nodejs* execution environment: it loads the handler named by
// _HANDLER from LAMBDA_TASK_ROOT and serves invocations through the Runtime API (2018-06-01) at
// AWS_LAMBDA_RUNTIME_API, with the awslambda global (streamifyResponse, HttpResponseStream) of AWS's Node.js
// runtimes for response streaming. Kept as text so that it ships with the compiled code; the provider writes it to disk.
export const NODE_BOOTSTRAP = String.raw`
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { Writable } from 'node:stream';

const api = process.env.AWS_LAMBDA_RUNTIME_API;
const [apiHost, apiPort] = api.split(':');
const taskRoot = process.env.LAMBDA_TASK_ROOT;
const handlerName = process.env._HANDLER || '';
let currentRequestId;
// One kept-alive connection to the Runtime API: the calls are sequential, and a new connection per call costs more
// than the rest of the round trip.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(method, route, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: apiHost, port: Number(apiPort), method, path: '/2018-06-01/runtime/' + route, agent,
        headers: { ...(headers || {}), ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }) } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function fatal() {
  // The Runtime API is gone: Switchyard stopped. Never outlive it.
  process.exit(1);
}

// Text logs are TIMESTAMP<tab>REQUEST_ID<tab>LEVEL<tab>MESSAGE; with LogFormat JSON each line is an object, and
// the application log level filters what is written.
const jsonLogs = process.env.AWS_LAMBDA_LOG_FORMAT === 'JSON';
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const minLevel = jsonLogs ? Math.max(0, LEVELS.indexOf((process.env.AWS_LAMBDA_LOG_LEVEL || 'INFO').toUpperCase())) : 0;
for (const [level, names] of [['INFO', ['log', 'info']], ['WARN', ['warn']], ['ERROR', ['error']], ['DEBUG', ['debug']], ['TRACE', ['trace']]]) {
  for (const name of names) {
    console[name] = (...args) => {
      if (LEVELS.indexOf(level) < minLevel) return;
      const time = new Date().toISOString();
      if (jsonLogs) {
        const entry = { timestamp: time, level, requestId: currentRequestId, message: format(...args) };
        process.stdout.write(JSON.stringify(entry) + '\n');
        return;
      }
      const text = format(...args).replace(/\n/g, '\r');
      process.stdout.write(time + '\t' + (currentRequestId || 'undefined') + '\t' + level + '\t' + text + '\n');
    };
  }
}

// The Node.js runtimes name the stack lines "trace" (the Runtime API's generic form says stackTrace).
function errorObject(err, fallbackType) {
  if (err instanceof Error) {
    return { errorType: err.name || fallbackType, errorMessage: err.message, trace: String(err.stack || '').split('\n') };
  }
  return { errorType: fallbackType, errorMessage: typeof err === 'string' ? err : JSON.stringify(err), trace: [] };
}

function isEsm(file) {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  let dir = path.dirname(file);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try { return JSON.parse(fs.readFileSync(pkg, 'utf8')).type === 'module'; } catch { return false; }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

async function loadHandler() {
  const slash = handlerName.lastIndexOf('/');
  const dot = handlerName.indexOf('.', slash + 1);
  if (dot < 0) {
    const e = new Error('Bad handler ' + handlerName + ': missing a dot between the module and the function name');
    e.name = 'Runtime.MalformedHandlerName';
    throw e;
  }
  const modulePath = handlerName.slice(0, dot);
  const property = handlerName.slice(dot + 1);
  const base = path.resolve(taskRoot, modulePath);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((f) => fs.existsSync(f));
  if (!file) {
    const e = new Error("Error: Cannot find module '" + path.basename(modulePath) + "'");
    e.name = 'Runtime.ImportModuleError';
    throw e;
  }
  let mod;
  try {
    mod = isEsm(file) ? await import(pathToFileURL(file).href) : createRequire(file)(file);
  } catch (err) {
    if (err instanceof SyntaxError) {
      const e = new Error(err.name + ': ' + err.message);
      e.name = 'Runtime.UserCodeSyntaxError';
      e.stack = err.stack;
      throw e;
    }
    const e = new Error(String(err && err.message ? err.name + ': ' + err.message : err));
    e.name = 'Runtime.ImportModuleError';
    e.stack = err && err.stack;
    throw e;
  }
  let fn = mod;
  for (const part of property.split('.')) fn = fn == null ? undefined : fn[part];
  if (fn === undefined && mod && mod.default) {
    fn = mod.default;
    for (const part of property.split('.')) fn = fn == null ? undefined : fn[part];
  }
  if (typeof fn !== 'function') {
    const e = new Error(handlerName + ' is undefined or not exported');
    e.name = 'Runtime.HandlerNotFound';
    throw e;
  }
  return fn;
}

// Response streaming as AWS's Node.js runtimes provide it: a streamified handler gets (event, responseStream,
// context), and HttpResponseStream.from prefixes the stream with the HTTP metadata a function URL answers with.
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HTTP_INTEGRATION = 'application/vnd.awslambda.http-integration-response';
class HttpResponseStream {
  static from(stream, metadata) {
    stream.setContentType(HTTP_INTEGRATION);
    stream.write(JSON.stringify(metadata || {}));
    stream.write(new Uint8Array(8));
    return stream;
  }
}
globalThis.awslambda = {
  streamifyResponse(fn) {
    fn[STREAMING] = 'response';
    return fn;
  },
  HttpResponseStream,
};

let handler;
try {
  handler = await loadHandler();
} catch (err) {
  const body = errorObject(err, 'Runtime.Unknown');
  process.stderr.write(new Date().toISOString() + '\tundefined\tERROR\tUncaught Exception \t' + JSON.stringify(body) + '\n');
  await request('POST', 'init/error', JSON.stringify(body), { 'Lambda-Runtime-Function-Error-Type': body.errorType }).catch(() => undefined);
  process.exit(1);
}

function makeContext(headers) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: undefined, succeed: undefined, fail: undefined,
  };
  if (headers['lambda-runtime-client-context']) {
    try { context.clientContext = JSON.parse(headers['lambda-runtime-client-context']); } catch { /* left out */ }
  }
  if (headers['lambda-runtime-cognito-identity']) {
    try { context.identity = JSON.parse(headers['lambda-runtime-cognito-identity']); } catch { /* left out */ }
  }
  return context;
}

function runHandler(event, context) {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (err, result) => {
      if (settled) return;
      settled = true;
      resolve({ err, result });
    };
    const callback = (err, result) => {
      if (context.callbackWaitsForEmptyEventLoop) {
        // AWS answers a callback once the event loop is empty; beforeExit is when that happens.
        process.once('beforeExit', () => finish(err, result));
      } else {
        finish(err, result);
      }
    };
    context.done = (err, result) => callback(err, result);
    context.succeed = (result) => callback(null, result);
    context.fail = (err) => callback(err == null ? new Error('handled') : err);
    try {
      const out = handler(event, context, callback);
      if (out && typeof out.then === 'function') out.then((r) => finish(null, r), (e) => finish(e === undefined || e === null ? new Error(String(e)) : e));
      else if (handler.length < 3) finish(null, out);
    } catch (err) {
      finish(err);
    }
  });
}

// The response goes to the Runtime API as one chunked POST, written as the handler writes; an error after the
// first byte travels in the trailers (its body base64), as the Runtime API documents.
function runStreamingHandler(event, context, requestId) {
  return new Promise((resolve) => {
    let contentType = 'application/octet-stream';
    let req;
    let answered;
    const answer = new Promise((r) => { answered = r; });
    const open = () => {
      if (req) return req;
      req = http.request(
        { host: apiHost, port: Number(apiPort), method: 'POST', path: '/2018-06-01/runtime/invocation/' + requestId + '/response', agent,
          headers: { 'Content-Type': contentType, 'Lambda-Runtime-Function-Response-Mode': 'streaming', 'Transfer-Encoding': 'chunked',
            Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body' } },
        (res) => { res.resume(); res.on('end', () => answered()); },
      );
      req.on('error', fatal);
      return req;
    };
    const stream = new Writable({
      write(chunk, _enc, cb) { open().write(chunk, () => cb()); },
      final(cb) { open().end(); cb(); },
    });
    stream.setContentType = (type) => { contentType = type; };
    let settled = false;
    const fail = (err) => {
      if (settled) return;
      settled = true;
      const body = errorObject(err, 'Error');
      console.error('Invoke Error \t' + JSON.stringify(body));
      const r = open();
      r.addTrailers({ 'Lambda-Runtime-Function-Error-Type': body.errorType, 'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(body)).toString('base64') });
      if (!stream.writableEnded) stream.destroy();
      r.end();
      answer.then(resolve);
    };
    const succeed = () => {
      if (settled) return;
      settled = true;
      if (!stream.writableEnded) stream.end();
      const done = () => answer.then(resolve);
      if (stream.writableFinished) done();
      else stream.once('finish', done);
    };
    stream.on('error', (e) => fail(e));
    try {
      const out = handler(event, stream, context);
      if (out && typeof out.then === 'function') out.then(succeed, (e) => fail(e === undefined || e === null ? new Error(String(e)) : e));
      else stream.once('finish', succeed);
    } catch (err) {
      fail(err);
    }
  });
}

process.on('uncaughtException', (err) => {
  const body = errorObject(err, 'Runtime.UncaughtException');
  process.stderr.write(new Date().toISOString() + '\t' + (currentRequestId || 'undefined') + '\tERROR\tUncaught Exception \t' + JSON.stringify(body) + '\n');
  const done = () => process.exit(129);
  if (currentRequestId) request('POST', 'invocation/' + currentRequestId + '/error', JSON.stringify(body), { 'Lambda-Runtime-Function-Error-Type': body.errorType }).then(done, done);
  else done();
});
process.on('unhandledRejection', (reason) => {
  throw reason instanceof Error ? reason : new Error(String(reason));
});

for (;;) {
  let next;
  try {
    next = await request('GET', 'invocation/next');
  } catch {
    fatal();
  }
  if (next.status !== 200) fatal();
  const requestId = next.headers['lambda-runtime-aws-request-id'];
  currentRequestId = requestId;
  if (next.headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'];
  else delete process.env._X_AMZN_TRACE_ID;
  let event;
  try {
    event = next.body.length ? JSON.parse(next.body) : undefined;
  } catch {
    event = next.body;
  }
  const context = makeContext(next.headers);
  if (handler[STREAMING] === 'response') {
    await runStreamingHandler(event, context, requestId);
    currentRequestId = undefined;
    continue;
  }
  const { err, result } = await runHandler(event, context);
  try {
    if (err !== null && err !== undefined) {
      const body = errorObject(err, 'Error');
      console.error('Invoke Error \t' + JSON.stringify(body));
      await request('POST', 'invocation/' + requestId + '/error', JSON.stringify(body), { 'Lambda-Runtime-Function-Error-Type': body.errorType });
    } else {
      let text;
      try {
        text = result === undefined ? 'null' : JSON.stringify(result);
      } catch (e) {
        const body = errorObject(e, 'Runtime.SerializationError');
        await request('POST', 'invocation/' + requestId + '/error', JSON.stringify(body), { 'Lambda-Runtime-Function-Error-Type': body.errorType });
        continue;
      }
      await request('POST', 'invocation/' + requestId + '/response', text === undefined ? 'null' : text);
    }
  } catch {
    fatal();
  }
  currentRequestId = undefined;
}
`;
