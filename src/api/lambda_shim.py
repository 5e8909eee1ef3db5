# vigil's stand-in for AWS Lambda's Python runtime: runs one invocation of a user's handler.
#
#   python3 lambda_shim.py FILE FUNCTION EVENT_FILE RESULT_FILE
#
# Imports FILE as a module (its folder first on sys.path and as the working directory, as Lambda's
# task root), calls FUNCTION(event, context) with the event read from EVENT_FILE and a context
# object like Lambda's, and writes the outcome to RESULT_FILE as JSON:
#   {"result": <the handler's return value>}                      on success
#   {"errorType": ..., "errorMessage": ..., "stackTrace": [...]}  on failure
# Errors are also written to stderr the way Lambda's runtime logs them ("[ERROR] Type: message"
# and the traceback). The rest of the invocation (environment, credentials, time limit) is set up
# by vigil (src/api/lambda_runner.cc). This file is compiled into vigil and written to
# <data>/lambda/ at start.
import importlib.util
import json
import os
import sys
import time
import traceback


class LambdaContext:
    """The attributes and method of the context object Lambda's Python runtime passes."""

    def __init__(self, deadline_ms):
        env = os.environ
        self.function_name = env.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = env.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = env.get("VIGIL_LAMBDA_FUNCTION_ARN", "")
        # Lambda's Python runtime gives the memory size as the environment's string.
        self.memory_limit_in_mb = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.aws_request_id = env.get("VIGIL_LAMBDA_REQUEST_ID", "")
        self.log_group_name = env.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = env.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))


def write_result(path, outcome):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(outcome, f)
    os.replace(tmp, path)


def failure(error_type, exc):
    stack = traceback.format_tb(exc.__traceback__) if exc is not None else []
    message = str(exc) if exc is not None else ""
    sys.stderr.write("[ERROR] %s: %s\n" % (error_type, message))
    if exc is not None:
        sys.stderr.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    sys.stderr.flush()
    return {"errorType": error_type, "errorMessage": message, "stackTrace": stack}


def main():
    file, function, event_path, result_path = sys.argv[1:5]
    deadline_ms = int(os.environ.get("VIGIL_LAMBDA_DEADLINE_MS", "0"))
    task_root = os.path.dirname(os.path.abspath(file))
    sys.path.insert(0, task_root)
    os.chdir(task_root)
    with open(event_path, encoding="utf-8") as f:
        event = json.load(f)

    module_name = os.path.splitext(os.path.basename(file))[0]
    try:
        spec = importlib.util.spec_from_file_location(module_name, file)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    except SyntaxError as e:
        write_result(result_path, failure("Runtime.UserCodeSyntaxError", e))
        return
    except Exception as e:  # Lambda: "Unable to import module '<name>': <error>"
        outcome = failure("Runtime.ImportModuleError", e)
        outcome["errorMessage"] = "Unable to import module '%s': %s" % (module_name, e)
        write_result(result_path, outcome)
        return
    handler = getattr(module, function, None)
    if not callable(handler):
        e = AttributeError("Handler '%s' missing on module '%s'" % (function, module_name))
        write_result(result_path, failure("Runtime.HandlerNotFound", e))
        return

    try:
        result = handler(event, LambdaContext(deadline_ms))
    except Exception as e:
        write_result(result_path, failure(type(e).__name__, e))
        return
    try:
        json.dumps(result)
    except (TypeError, ValueError) as e:
        write_result(result_path, failure("Runtime.MarshalError", e))
        return
    sys.stdout.flush()
    write_result(result_path, {"result": result})


if __name__ == "__main__":
    main()
