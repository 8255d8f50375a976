"""PyTorch on the CPU, one thread, as a peer that the Node CPU benchmark (tools/bench/cpu-bench.ts) drives repeat by
repeat, so that PyTorch alternates with the JavaScript runners in one run instead of running before or after them.

The workloads are torch_peer.py's (same nets, data sizes, loss, Adam, error read every `errorEvery` steps); this
file only serves them. Commands arrive as JSON lines on stdin, answers leave as JSON lines on stdout:

    {"op": "hello"}                       -> {"version": "1.13.0", "threads": 1}
    {"op": "build", "spec": {...}, "plan": {...}}   -> {"ok": true} or {"error": "..."} (after one step)
    {"op": "run", "steps": N}             -> {"ms": milliseconds per step, timed here with perf_counter}
    {"op": "errors"}                      -> {"errors": [...]}  (the losses the loop read)
    {"op": "drop"}                        -> {"ok": true}

    python3 tools/bench/torch_cpu_peer.py
"""

import json
import sys
import time

import torch

from torch_peer import FP32, case_workload, set_precision


def answer(value):
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


class Server:
    def __init__(self):
        self.step = None
        self.index = 0
        self.errors = []

    def hello(self, _cmd):
        return {"version": torch.__version__, "threads": torch.get_num_threads()}

    def build(self, cmd):
        """Builds the case and runs one step of it, so that a case PyTorch cannot run fails here, not mid-timing."""
        self.drop(cmd)
        try:
            step = case_workload(cmd["spec"], cmd["plan"], torch.device("cpu"), False, self.errors)
            step(0)
        except Exception as err:  # reported by the Node side with the case, not fatal to the others
            return {"error": "%s: %s" % (type(err).__name__, err)}
        self.step = step
        return {"ok": True}

    def run(self, cmd):
        start = time.perf_counter()
        for _ in range(cmd["steps"]):
            self.step(self.index)
            self.index += 1
        return {"ms": (time.perf_counter() - start) * 1e3 / cmd["steps"]}

    def report_errors(self, _cmd):
        return {"errors": self.errors}

    def drop(self, _cmd):
        self.step, self.index, self.errors = None, 0, []
        return {"ok": True}


def main():
    # One thread, the reference: the Node side measures one JavaScript thread against it.
    torch.set_num_threads(1)
    set_precision(FP32)
    server = Server()
    handlers = {"hello": server.hello, "build": server.build, "run": server.run, "errors": server.report_errors, "drop": server.drop}
    for line in sys.stdin:
        cmd = json.loads(line)
        answer(handlers[cmd["op"]](cmd))


if __name__ == "__main__":
    main()
