// The Python runtime client for python3.* execution environments: loads _HANDLER (module.function) from
// LAMBDA_TASK_ROOT and serves invocations through the Runtime API (2018-06-01). Kept as text, like the Node one.
export const PYTHON_BOOTSTRAP = String.raw`
import importlib, json, os, sys, time, traceback, urllib.request, urllib.error

API = 'http://' + os.environ['AWS_LAMBDA_RUNTIME_API'] + '/2018-06-01/runtime/'
TASK_ROOT = os.environ.get('LAMBDA_TASK_ROOT', '.')
sys.path.insert(0, TASK_ROOT)


def call(method, route, body=None, headers=None):
    data = None if body is None else body.encode('utf-8')
    req = urllib.request.Request(API + route, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req) as res:
            return res.status, dict(res.headers), res.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()
    except Exception:
        os._exit(1)


def error_body(exc, error_type=None):
    return {
        'errorMessage': str(exc),
        'errorType': error_type or type(exc).__name__,
        'requestId': '',
        'stackTrace': traceback.format_list(traceback.extract_tb(exc.__traceback__)),
    }


class Context:
    def __init__(self, headers):
        lower = {k.lower(): v for k, v in headers.items()}
        self.aws_request_id = lower.get('lambda-runtime-aws-request-id')
        self.invoked_function_arn = lower.get('lambda-runtime-invoked-function-arn')
        self._deadline = int(lower.get('lambda-runtime-deadline-ms', '0'))
        self.function_name = os.environ.get('AWS_LAMBDA_FUNCTION_NAME')
        self.function_version = os.environ.get('AWS_LAMBDA_FUNCTION_VERSION')
        self.memory_limit_in_mb = os.environ.get('AWS_LAMBDA_FUNCTION_MEMORY_SIZE')
        self.log_group_name = os.environ.get('AWS_LAMBDA_LOG_GROUP_NAME')
        self.log_stream_name = os.environ.get('AWS_LAMBDA_LOG_STREAM_NAME')
        self.identity = None
        self.client_context = None
        cc = lower.get('lambda-runtime-client-context')
        if cc:
            try:
                self.client_context = json.loads(cc)
            except ValueError:
                pass

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline - int(time.time() * 1000))


def load_handler():
    name = os.environ.get('_HANDLER', '')
    if '.' not in name:
        raise RuntimeError('Bad handler ' + name)
    module_name, fn_name = name.rsplit('.', 1)
    try:
        module = importlib.import_module(module_name.replace('/', '.'))
    except ImportError as e:
        err = RuntimeError("Unable to import module '" + module_name + "': " + str(e))
        err.lambda_type = 'Runtime.ImportModuleError'
        raise err
    except SyntaxError as e:
        err = RuntimeError('Syntax error in module ' + module_name + ': ' + str(e))
        err.lambda_type = 'Runtime.UserCodeSyntaxError'
        raise err
    fn = getattr(module, fn_name, None)
    if fn is None:
        err = RuntimeError("Handler '" + fn_name + "' missing on module '" + module_name + "'")
        err.lambda_type = 'Runtime.HandlerNotFound'
        raise err
    return fn


try:
    handler = load_handler()
except Exception as e:
    body = error_body(e, getattr(e, 'lambda_type', None))
    print('[ERROR] ' + body['errorType'] + ': ' + body['errorMessage'], flush=True)
    call('POST', 'init/error', json.dumps(body), {'Lambda-Runtime-Function-Error-Type': body['errorType']})
    sys.exit(1)

while True:
    status, headers, raw = call('GET', 'invocation/next')
    if status != 200:
        os._exit(1)
    context = Context(headers)
    request_id = context.aws_request_id
    try:
        event = json.loads(raw) if raw else None
        result = handler(event, context)
        call('POST', 'invocation/' + request_id + '/response', json.dumps(result))
    except Exception as e:
        body = error_body(e)
        body['requestId'] = request_id
        print('[ERROR] ' + body['errorType'] + ': ' + body['errorMessage'], flush=True)
        call('POST', 'invocation/' + request_id + '/error', json.dumps(body),
             {'Lambda-Runtime-Function-Error-Type': body['errorType']})
`;
