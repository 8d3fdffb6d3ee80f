#!/usr/bin/env bash
# Runs on the lent GPU machine over the bundle tools/gpu_bundle.sh made (.device/, carried):
#   tools/gpu_session.sh STEP...     steps run in order; each one's output goes to
#                                    $OUT/session.log (and the screen), results to $OUT/*.json
# Steps:
#   info      nvidia-smi and `gaus devices`
#   tests     the GPU test suite (gaus_tests_gpu)
#   sanitize  compute-sanitizer memcheck, racecheck and synccheck over the GPU tests
#   bench     gaus_loss_bench on the CUDA backend (EPFL sqrt/div/hyp, 10^5..10^7 ops) -> loss_cuda.json
#   split     the CUDA bench at LossConfig::memory_split 0 (all balanced), 2, 4 and 8 -> split.json
#   benchcpu  the same graphs (up to 10^6 ops) on the CPU backend, all cores -> loss_cpu.json
#   torch     PyTorch reference vs gaus on the GPU (check_grads.py --timing --device cuda) -> torch.json
#   ncu       Nsight Compute over a few iterations of div -> ncu.txt
#   terms     div on the CUDA backend with each term alone (time attribution)
#   profile   device time per kernel (ncu) on div, hyp and a 10^6-op synthetic graph
#   nsight    README's `--profile` lines: ncu from cudaProfilerStart on the loss bench and on a
#             solve (only the bracketed region is profiled) -> session.log
#   solve     bench/run.py with gaus-cuda and gaus-cpu on every suite, short limit -> solve.json
# Environment: OUT (default ./gpu-out), TIME_LIMIT for `solve` (default 5 s).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/gpu-out}
mkdir -p "$OUT"
B=$PWD/.device/bin
DATA=$PWD/.device/data
export LD_LIBRARY_PATH=$PWD/.device/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export GAUS_COMMIT=$(cat .device/commit 2>/dev/null || echo unknown)
LOG=$OUT/session.log
status=0

step() {  # step NAME TIMEOUT CMD... : runs CMD under a time limit, logs, records failures
  local name=$1 limit=$2
  shift 2
  echo "=== $name: $*" | tee -a "$LOG"
  local t0=$SECONDS
  timeout "$limit" "$@" 2>&1 | tee -a "$LOG"
  local rc=${PIPESTATUS[0]}
  echo "=== $name: exit $rc after $((SECONDS - t0)) s" | tee -a "$LOG"
  [[ $rc -eq 0 ]] || status=1
}

for s in "$@"; do
  case $s in
    info)
      step nvidia-smi 30 nvidia-smi
      step devices 30 "$B/gaus" devices ;;
    tests)
      step gpu-tests 400 "$B/gaus_tests_gpu" ;;
    sanitize)
      # The million-edge case and the end-to-end solver case are left to the plain run: the
      # sanitizers make them minutes long.
      for tool in memcheck racecheck synccheck; do
        step "sanitizer-$tool" 400 compute-sanitizer --tool "$tool" --error-exitcode 9 \
          "$B/gaus_tests_gpu" -tce='*million*,*solver on the CUDA*'
      done ;;
    bench)
      step loss-bench-cuda 500 "$B/gaus_loss_bench" --data-dir "$DATA" --backend cuda \
        --iters 200 --min-seconds 1 --out "$OUT/loss_cuda.json" ;;
    split)
      # Which producers take the one-thread memory path (kernels/memory_kernels.cu): the 10^7
      # synthetic graph ran 64 ms one-thread vs 112 ms balanced; div the other way round.
      for n in 0 2 4 8; do
        step "loss-bench-split-$n" 300 "$B/gaus_loss_bench" --data-dir "$DATA" --backend cuda \
          --memory-split "$n" --iters 100 --min-seconds 0.5 --out "$OUT/split-$n.json"
      done
      python3 -c 'import json,sys; print(json.dumps([r for f in sys.argv[1:] for r in json.load(open(f))["results"]], indent=1))' \
        "$OUT"/split-*.json > "$OUT/split.json" && rm -f "$OUT"/split-*.json ;;
    benchcpu)
      step loss-bench-cpu 500 "$B/gaus_loss_bench" --data-dir "$DATA" --backend cpu \
        --sizes 100000 1000000 --iters 10 --min-seconds 1 --out "$OUT/loss_cpu.json" ;;
    torch)
      step torch-timing 500 python3 bench/check_grads.py --timing --device cuda \
        --compile --graphs sqrt,div,hyp --synthetic 1000000 --iters 20 --gaus "$B/gaus" \
        --loss-bench "$B/gaus_loss_bench" --data-dir "$DATA" --out "$OUT/torch.json" ;;
    ncu)
      step ncu 500 ncu --launch-skip 0 --launch-count 120 --section SpeedOfLight \
        --section LaunchStats --section Occupancy "$B/gaus_loss_bench" --data-dir "$DATA" \
        --epfl div --sizes 0 --backend cuda --iters 5 --min-seconds 0
      grep -E "^\s+[a-z_]+.*\(|Duration|Memory Throughput|Compute \(SM\)|Registers Per|Achieved Occ" \
        "$LOG" | tail -400 > "$OUT/ncu.txt" ;;
    terms)
      # Time attribution on div: each term alone (the dependency term is always on).
      for t in dependency horizon peak_use communication memory; do
        step "div-$t" 120 "$B/gaus_loss_bench" --data-dir "$DATA" --epfl div --sizes 0 \
          --backend cuda --iters 100 --min-seconds 0.5 --terms "$t"
      done ;;
    profile)
      # Device time per kernel over two evaluations (forward + backward) of each graph.
      for g in div hyp; do
        step "kernels-$g" 300 bash -c "ncu --csv --metrics gpu__time_duration.sum \
          --launch-skip 40 --launch-count 80 '$B/gaus_loss_bench' --data-dir '$DATA' --epfl $g \
          --sizes 0 --backend cuda --iters 4 --min-seconds 0 2>/dev/null | python3 tools/kernel_times.py"
      done
      step "kernels-synthetic" 300 bash -c "ncu --csv --metrics gpu__time_duration.sum \
        --launch-skip 40 --launch-count 80 '$B/gaus_loss_bench' --epfl none --sizes 1000000 \
        --backend cuda --iters 4 --min-seconds 0 2>/dev/null | python3 tools/kernel_times.py" ;;
    nsight)
      step "ncu-profile-bench" 300 ncu --profile-from-start off --section SpeedOfLight \
        "$B/gaus_loss_bench" --data-dir "$DATA" --epfl div --sizes 0 --backend cuda --iters 3 \
        --min-seconds 0 --profile
      step "ncu-profile-solve" 300 ncu --profile-from-start off --launch-count 40 \
        --section SpeedOfLight "$B/gaus" schedule "$DATA/epfl/arithmetic/div.aig" --method gaus \
        --formulation B --backend cuda --time-limit 2 --profile --out "$OUT/div_profile.json" ;;
    solve)
      step solve 580 python3 bench/run.py --suites express,rw,epfl,machsuite --quick \
        --methods gaus-cuda,gaus-cpu,list --time-limit "${TIME_LIMIT:-5}" --gaus "$B/gaus" \
        --data-dir "$DATA" --out-dir "$OUT/runs" --run-id gpu
      cp "$OUT/runs/gpu/results.json" "$OUT/solve.json" 2>/dev/null
      cp "$OUT/runs/gpu/results.md" "$OUT/solve.md" 2>/dev/null
      rm -rf "$OUT/runs" ;;
    *) echo "gpu_session: unknown step '$s'" | tee -a "$LOG"; status=2 ;;
  esac
done
exit $status
