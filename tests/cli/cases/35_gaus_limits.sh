# Sourced by run_cli_tests.sh: what `gaus schedule --method gaus` promises about time and
# truth: the whole process ends within --time-limit, the JSON carries optimal / lower_bound /
# gap, the summary names the objective and the bound, and stderr (not a terminal) holds one
# line per improvement.
jqp() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
# wall SECONDS-FILE -- command...: runs the command, writes its wall time to SECONDS-FILE.
wall() {
  local file=$1
  shift 2
  python3 -c '
import subprocess, sys, time
t = time.monotonic()
rc = subprocess.run(sys.argv[2:], stdout=open(sys.argv[1] + ".out", "w"),
                    stderr=open(sys.argv[1] + ".err", "w")).returncode
open(sys.argv[1], "w").write("%.3f\n" % (time.monotonic() - t))
sys.exit(rc)' "$file" "$@"
}

# A graph B cannot prove optimal in 2 s: without the limit it would use all of it.
expect 0 "limits: a 4,000-op graph" -- "$GAUS" generate --ops 4000 --seed 3 --out "$tmp/lim.json"
for f in B rcs; do
  expect 0 "limits: gaus $f --time-limit 2" -- wall "$tmp/lim_$f.wall" -- "$GAUS" schedule \
    "$tmp/lim.json" --method gaus --formulation $f --time-limit 2 --backend cpu --out "$tmp/lim_$f.s.json"
  check "limits: gaus $f ends within its 2-s limit, writing included ($(cat "$tmp/lim_$f.wall") s)" -- \
    python3 -c "import sys; sys.exit(0 if float(open('$tmp/lim_$f.wall').read()) < 2.0 else 1)"
  check "limits: gaus $f wrote a legal schedule" -- test "$(jqp "$tmp/lim_$f.s.json" "d['legal']")" = True
done

# The JSON's verdict fields, and a summary line that names the objective and the bound.
check "limits: B's JSON has optimal, lower_bound and gap" -- test "$(jqp "$tmp/lim_B.s.json" \
  "type(d['optimal']) is bool and d['lower_bound'] > 0 and 0 <= d['gap'] < 1")" = True
check "limits: B's gap is (objective - bound) / objective" -- test "$(jqp "$tmp/lim_B.s.json" \
  "abs(d['gap'] - (d['objective'] - d['lower_bound']) / d['objective']) < 1e-9")" = True
check "limits: B's summary names peak memory and the bound" -- \
  grep -Eq "^gaus B: peak memory [0-9.]+ \((lower bound [0-9.]+, gap [0-9.]+%|optimal at horizon [0-9]+)\), latency [0-9]+, legal" "$tmp/lim_B.wall.out"
# The bar and the summary write integers as integers, others to 6 significant digits.
shown="d['objective'] == int(d['objective']) and '%d' % d['objective'] or '%.6g' % d['objective']"
check "limits: the summary's peak memory is the written one" -- \
  grep -q "peak memory $(jqp "$tmp/lim_B.s.json" "$shown") " "$tmp/lim_B.wall.out"
# Not a terminal: one line per new best or bound, the last one the written best.
check "limits: B's stderr reports improvements, not iterations" -- python3 -c "
import json, sys
lines = open('$tmp/lim_B.wall.err').read().splitlines()
d = json.load(open('$tmp/lim_B.s.json'))
assert lines and all(l.startswith('[gaus] ') for l in lines), lines[:3]
assert len(lines) <= len(d['history']) + 3, (len(lines), len(d['history']))
assert 'peak memory %s ' % ($shown) in lines[-1], lines[-1]
"

# rcs stops at a proven bound: the chain of three multiplies on one unit is optimal at once.
cat >"$tmp/chain.json" <<'JSON'
{"resources": {"mul": 1},
 "ops": [{"name": "a", "type": "mul", "latency": 2, "blocking": 2},
         {"name": "b", "type": "mul", "latency": 2, "blocking": 2},
         {"name": "c", "type": "mul", "latency": 2, "blocking": 2},
         {"name": "s", "type": "add"}],
 "edges": [{"from": "a", "to": "s"}, {"from": "b", "to": "s"}, {"from": "c", "to": "s"}]}
JSON
expect 0 "limits: rcs on a busy unit" -- wall "$tmp/chain.wall" -- "$GAUS" schedule "$tmp/chain.json" \
  --method gaus --formulation rcs --time-limit 20 --backend cpu --out "$tmp/chain.s.json"
check "limits: rcs proves its latency optimal" -- test "$(jqp "$tmp/chain.s.json" \
  "(d['optimal'], d['lower_bound'], d['latency'], d['gap'])")" = "(True, 7.0, 7, 0.0)"
check "limits: rcs stops at the bound, long before its limit" -- \
  python3 -c "import sys; sys.exit(0 if float(open('$tmp/chain.wall').read()) < 5 else 1)"
check "limits: rcs's summary says optimal" -- grep -q "^gaus rcs: latency 7 (optimal), legal" "$tmp/chain.wall.out"
