# gaus eval: loss terms and gradients at given parameters.
ex="$(dirname "$0")/../../examples/fir8.json"
python3 - "$ex" "$tmp/params.json" <<'PY'
import json, sys
ops = [o["name"] for o in json.load(open(sys.argv[1]))["ops"]]
json.dump({"mu": {n: 2.0 for n in ops}, "sigma": {n: 1.0 for n in ops}}, open(sys.argv[2], "w"))
PY
expect 0 "eval on the CPU" -- "$GAUS" eval "$ex" --params "$tmp/params.json" --horizon 14 --backend cpu
cp "$tmp/out" "$tmp/eval.json"
check "eval reports every term with gradients" -- python3 - "$tmp/eval.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for t in ["dependency", "horizon", "capacity", "peak_use", "communication", "memory"]:
    assert t in d, t
    assert len(d[t]["grad_mu"]) == 24 and len(d[t]["grad_sigma"]) == 24, t
# all ops at the same mean: every edge is violated with probability well above zero
assert d["dependency"]["value"] > 1.0
assert d["recurrence"] is None or d["recurrence"].get("value") is None
PY
python3 - "$tmp/params.json" "$tmp/bad_params.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); del d["mu"]["st"]
json.dump(d, open(sys.argv[2], "w"))
PY
expect 2 "eval with an op missing from the parameters" -- "$GAUS" eval "$ex" --params "$tmp/bad_params.json" --horizon 14
check "the message names the op" -- grep -q "'st'" "$tmp/err"
