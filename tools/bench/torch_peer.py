"""PyTorch eager peer of Puzzle's benchmark (tools/bench): the same nets, data sizes, matmul precision and step.

Reads the plan that the Node runner writes (tools/bench/bench-plan.ts: cases a-d, b also with TF32 and bf16, and the
device probes), times each case with torch.optim.Adam plain and fused=True, and writes raw samples as JSON. Statistics
are computed by the Node side from the samples, so both frameworks are summarised by one implementation; medians here
are for a reader only.

Precision: each case names its float32 matmul precision ("matmulPrecision", as torch.set_float32_matmul_precision
takes it); the peer sets it, and cuDNN's TF32 flag to match, for that case only, and records what torch reports back
next to the samples. Everything else (the probes included) runs at "highest": fp32 products, TF32 off in cuDNN too.

Timing: warm-up steps first, then repeats of a fixed number of steps between two CUDA events (wall time via
perf_counter on the CPU), one sample per repeat in ms per step. The loss is read with .item() every `errorEvery`
steps, as the doc loop prints it.

    python3 tools/bench/torch_peer.py --plan plan.json --out torch.json [--device cuda|cpu]
"""

import argparse
import datetime
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

RUNNERS = {"torch-adam": False, "torch-adam-fused": True}  # runner name -> fused
LENET_CLASSES = 10
FP32 = "highest"
# set_float32_matmul_precision leaves convolutions alone: cuDNN has its own TF32 flag (on by default, so it is set
# either way). PyTorch has no bf16 mode for float32 on CUDA, in matmuls or cuDNN: there "medium" computes as TF32
# (its docs say so, and torch.backends.cuda.matmul.fp32_precision refuses "bf16"), and the peer records TF32.
CUDNN_TF32 = {"highest": False, "high": True, "medium": True}
FORMAT = {True: "TF32", False: "fp32"}  # TF32 allowed -> the format the report names


def set_precision(precision):
    torch.set_float32_matmul_precision(precision)
    torch.backends.cudnn.allow_tf32 = CUDNN_TF32[precision]


def precision_in_force():
    """Read back from torch rather than assumed: what cuBLAS and cuDNN may round float32 operands to right now."""
    return {
        "setting": torch.get_float32_matmul_precision(),
        "matmul": FORMAT[torch.backends.cuda.matmul.allow_tf32],
        "cudnn": FORMAT[torch.backends.cudnn.allow_tf32],
    }


class Clock:
    """Brackets a repeat: CUDA events on a GPU (the stream is drained first), perf_counter on the CPU."""

    def __init__(self, device):
        self.cuda = device.type == "cuda"

    def sync(self):
        if self.cuda:
            torch.cuda.synchronize()

    def start(self):
        self.sync()
        if self.cuda:
            self.begin = torch.cuda.Event(enable_timing=True)
            self.end = torch.cuda.Event(enable_timing=True)
            self.begin.record()
        else:
            self.t0 = time.perf_counter()

    def stop_ms(self):
        if self.cuda:
            self.end.record()
            self.end.synchronize()
            return self.begin.elapsed_time(self.end)
        return (time.perf_counter() - self.t0) * 1e3


def time_steps(step, timing, clock):
    index = 0
    for _ in range(timing["warmupSteps"]):
        step(index)
        index += 1
    samples = []
    for _ in range(timing["repeats"]):
        clock.start()
        for _ in range(timing["stepsPerRepeat"]):
            step(index)
            index += 1
        samples.append(clock.stop_ms() / timing["stepsPerRepeat"])
    return samples


def build_mlp(model):
    layers = []
    sizes, bias = model["sizes"], model["bias"]
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1], bias=bias[i]))
        if i + 2 < len(sizes):
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def build_lenet():
    """PuzzleLib's loadLeNet: conv3 16, pool, relu, conv4 32, pool, relu, flatten, 800-1024, relu, 1024-10."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3), nn.MaxPool2d(2, 2), nn.ReLU(),
        nn.Conv2d(16, 32, 4), nn.MaxPool2d(2, 2), nn.ReLU(),
        nn.Flatten(), nn.Linear(32 * 5 * 5, 1024), nn.ReLU(), nn.Linear(1024, LENET_CLASSES),
    )


def make_adam(params, hyper, fused):
    return torch.optim.Adam(params, lr=hyper["alpha"], betas=(hyper["beta1"], hyper["beta2"]), eps=hyper["epsilon"], fused=fused)


def training_step(net, data, target, loss_fn, optimizer, error_every, errors):
    """The doc loop: forward, cost, zero grads, backward, update; the loss is read every error_every steps."""

    def step(index):
        loss = loss_fn(net(data), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if error_every > 0 and (index + 1) % error_every == 0:
            errors.append(loss.item())

    return step


def case_workload(spec, plan, device, fused, errors):
    model = spec["model"]
    gen = torch.Generator(device="cpu").manual_seed(plan["seed"])
    if model["kind"] == "mlp":
        data = torch.randn(model["batch"], model["sizes"][0], generator=gen).to(device)
        target = torch.randn(model["batch"], model["sizes"][-1], generator=gen).to(device)
        net = build_mlp(model).to(device)
        return training_step(net, data, target, F.mse_loss, make_adam(net.parameters(), plan["adam"], fused), spec["errorEvery"], errors)
    if model["kind"] == "lenet":
        data = torch.randn(model["batch"], 1, 28, 28, generator=gen).to(device)
        labels = torch.randint(0, LENET_CLASSES, (model["batch"],), generator=gen).to(device)
        net = build_lenet().to(device)
        return training_step(net, data, labels, F.cross_entropy, make_adam(net.parameters(), plan["adam"], fused), spec["errorEvery"], errors)
    if model["kind"] == "adam":
        param = nn.Parameter(torch.randn(model["params"], device=device))
        param.grad = torch.randn(model["params"], device=device)
        optimizer = make_adam([param], plan["adam"], fused)
        return lambda index: optimizer.step()
    raise ValueError("unknown model kind %r" % model["kind"])


def release(device):
    if device.type == "cuda":
        torch.cuda.empty_cache()


def run_runners(spec, plan, device, clock, out):
    results = {}
    for runner, fused in RUNNERS.items():
        errors = []
        try:
            step = case_workload(spec, plan, device, fused, errors)
            samples = time_steps(step, spec["timing"], clock)
            precision = precision_in_force()
            results[runner] = {"samples_ms": samples, "median_ms": statistics.median(samples), "errors": errors, "precision": precision}
            print("[torch] case %-6s %-17s %.4f ms/step (%s products)" % (spec["id"], runner, statistics.median(samples), precision["matmul"]), flush=True)
        except Exception as err:  # one unsupported variant must not cost the other measurements of a scarce GPU run
            out["failures"].append({"case": spec["id"], "runner": runner, "message": "%s: %s" % (type(err).__name__, err)})
            print("[torch] case %s %s failed: %s" % (spec["id"], runner, err), file=sys.stderr, flush=True)
        step = None
        release(device)
    return results


def run_case(spec, plan, device, clock, out):
    """One case at its own precision; the next case, and anything after, starts from fp32 again."""
    set_precision(spec["matmulPrecision"])
    try:
        out["cases"][spec["id"]] = run_runners(spec, plan, device, clock, out)
    finally:
        set_precision(FP32)


def run_probes(probes, device, clock):
    """The device's ceilings, in the same call: a large copy (bytes read + written) and an fp32 gemm with TF32 off."""
    n = probes["copyElements"]
    src = torch.randn(n, device=device)
    dst = torch.empty_like(src)
    copy = time_steps(lambda i: dst.copy_(src), probes["timing"], clock)
    del src, dst
    size = probes["gemmSize"]
    a, b = torch.randn(size, size, device=device), torch.randn(size, size, device=device)
    c = torch.empty(size, size, device=device)
    gemm = time_steps(lambda i: torch.mm(a, b, out=c), probes["timing"], clock)
    del a, b, c
    release(device)
    return {"copy": {"elements": n, "samples_ms": copy}, "gemm": {"size": size, "samples_ms": gemm}, "precision": precision_in_force()}


def device_name(device):
    return torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--device", default="cuda")
    args = parser.parse_args()
    with open(args.plan) as f:
        plan = json.load(f)
    device = torch.device(args.device)
    # fp32 until a case asks otherwise: cuDNN's TF32 default would otherwise reach the probes and the fp32 cases.
    set_precision(FP32)
    torch.manual_seed(plan["seed"])
    clock = Clock(device)
    out = {
        "framework": "torch",
        "version": torch.__version__,
        "cuda": torch.version.cuda,
        "device": device_name(device),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "cudnnBenchmark": torch.backends.cudnn.benchmark,
        "probes": None,
        "cases": {},
        "failures": [],
    }
    if plan.get("probes"):
        out["probes"] = run_probes(plan["probes"], device, clock)
    for spec in plan["cases"]:
        run_case(spec, plan, device, clock, out)
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
