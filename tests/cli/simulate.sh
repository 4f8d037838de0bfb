#!/usr/bin/env bash
# `mvm simulate`'s specification: help and usage errors (exit 2), the exact
# summary of mVM's random4 plan 1 simulated with its instance (text, --json,
# --quiet), the per-action CSV on standard output (header and one line per
# action, the summary moved aside) and in a file, the comparison with a real
# execution log (--against: exact mean deviation; a log of another plan exits
# 2), a plan written here from a template that converges at 1000 Mbit/s (exact
# times, with and without downtime) and never converges at 500 (exit 1, naming
# the VM and the skipped shutdown), and a malformed plan (exit 2). Runs mvm
# ($MVM_BIN) on the data in $MVM_DATA, through $MVM_WRAPPER when set (e.g.
# valgrind with --error-exitcode=99: a case whose run exits 99 fails). Prints TAP.
set -u

: "${MVM_BIN:?MVM_BIN must name the mvm binary}"
: "${MVM_DATA:?MVM_DATA must name tests/data}"
R4="$MVM_DATA/instances/random4"
LOGS="$R4/executions"

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

count=0
failed=0
rc=0
case_ok=1
case_why=""

# run ARGS...: runs mvm, stdout in $tmp/out, stderr in $tmp/err, exit status in $rc.
run() {
    # shellcheck disable=SC2086 # the wrapper is a command line to split
    ${MVM_WRAPPER:-} "$MVM_BIN" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ -n "${MVM_WRAPPER:-}" ] && [ "$rc" -eq 99 ]; then
        fail "the wrapper found errors running: mvm $*"
    fi
}

# Checks within a case: each records the first failure.
fail() {
    if [ "$case_ok" -eq 1 ]; then
        case_ok=0
        case_why="$1"
    fi
}
expect_rc() { [ "$rc" -eq "$1" ] || fail "exit $rc, expected $1"; }
expect_out() { grep -qF -- "$1" "$tmp/out" || fail "stdout lacks '$1'"; }
expect_line() { grep -qxF -- "$1" "$tmp/out" || fail "stdout lacks the line '$1'"; }
expect_err() { grep -qF -- "$1" "$tmp/err" || fail "stderr lacks '$1'"; }
expect_no_out() { [ ! -s "$tmp/out" ] || fail "stdout is not empty"; }
expect_lines() {
    local n
    n=$(wc -l <"$2")
    [ "$n" -eq "$1" ] || fail "$2 has $n lines, expected $1"
}

# start NAME begins a case; finish ends it and prints its TAP line.
start() {
    case_ok=1
    case_why=""
    case_name="$1"
}
finish() {
    count=$((count + 1))
    if [ "$case_ok" -eq 1 ]; then
        echo "ok $count - $case_name"
    else
        failed=$((failed + 1))
        echo "not ok $count - $case_name # $case_why"
        sed 's/^/#   stderr: /' "$tmp/err" | head -n 5
    fi
}

# ---- help and usage errors ----

start "simulate --help"
run simulate --help
expect_rc 0
expect_out "Usage: mvm simulate PLAN"
expect_out "--against LOG"
expect_out "--engine E"
finish

start "simulate without a plan exits 2"
run simulate
expect_rc 2
expect_no_out
finish

start "simulate with two plans exits 2"
run simulate "$R4/mvm-plan.1.json" "$R4/mvm-plan.2.json"
expect_rc 2
finish

start "--engine bogus exits 2"
run simulate "$R4/mvm-plan.1.json" --instance "$R4/instance.1.json" --engine bogus
expect_rc 2
expect_err "--engine: expected fluid or simgrid"
expect_no_out
finish

start "--give-up 0 and --downtime -1 exit 2"
run simulate "$R4/mvm-plan.1.json" --give-up 0
expect_rc 2
expect_err "--give-up"
run simulate "$R4/mvm-plan.1.json" --downtime -1
expect_rc 2
expect_err "--downtime"
finish

start "an unknown option exits 2"
run simulate --bogus "$R4/mvm-plan.1.json"
expect_rc 2
finish

# ---- mVM's random4 plan 1 ----

# By hand (see tests/unit/test_sim.c): 56.092817 + 17.468182 + 2 x 39.563892 =
# 152.688783 s on the critical path VM 6 | VM 2 | VM 0 | VM 4; the plan says 192.
start "random4 plan 1 with its instance: the exact summary"
run simulate "$R4/mvm-plan.1.json" --instance "$R4/instance.1.json"
expect_rc 0
expect_out "10 actions (10 migrations)"
expect_line "completion   152.7 s (the plan predicted 192 s: -20.5 %)"
expect_line "migrations   10 completed, mean duration 40.4 s"
expect_line "transferred  29008 MiB"
grep -q "did not converge" "$tmp/out" && fail "a migration is reported as failed"
finish

start "--json"
run simulate "$R4/mvm-plan.1.json" --instance "$R4/instance.1.json" --json
expect_rc 0
expect_out '"engine":"fluid"'
expect_out '"completion_s":152.689'
expect_out '"planned_completion_s":192'
expect_out '"failed":0'
expect_lines 1 "$tmp/out"
finish

start "--quiet prints nothing"
run simulate "$R4/mvm-plan.1.json" --instance "$R4/instance.1.json" --quiet
expect_rc 0
expect_no_out
finish

start "--csv - prints the header and one line per action, nothing else"
run simulate "$R4/mvm-plan.1.json" --instance "$R4/instance.1.json" --csv -
expect_rc 0
head -n 1 "$tmp/out" | grep -qxF "action,vm,node,from,to,bw,start,end" ||
    fail "the first line is not the header"
expect_lines 11 "$tmp/out"
# plan 1's action 7 (VM 7, 3 -> 2 at 1000 Mbit/s) starts at once: 25.598263 s
expect_line "migrateVM,7,,3,2,1000,0.000,25.598"
expect_line "migrateVM,4,,0,1,500,113.125,152.689"
[ "$(grep -c '^migrateVM,' "$tmp/out")" -eq 10 ] || fail "not ten migrateVM lines"
grep -q "completion" "$tmp/out" && fail "the summary went to stdout"
finish

start "--csv FILE writes the file and prints the summary"
run simulate "$R4/mvm-plan.1.json" --instance "$R4/instance.1.json" --csv "$tmp/times.csv"
expect_rc 0
expect_out "completion   152.7 s"
if [ -f "$tmp/times.csv" ]; then
    head -n 1 "$tmp/times.csv" | grep -qxF "action,vm,node,from,to,bw,start,end" ||
        fail "the file does not start with the header"
    expect_lines 11 "$tmp/times.csv"
    grep -qxF "migrateVM,7,,3,2,1000,0.000,25.598" "$tmp/times.csv" || fail "VM 7's line is missing"
else
    fail "no CSV file written"
fi
finish

start "--csv into a missing directory exits 2"
run simulate "$R4/mvm-plan.1.json" --instance "$R4/instance.1.json" --csv "$tmp/missing/t.csv"
expect_rc 2
[ ! -e "$tmp/missing" ] || fail "$tmp/missing was created"
finish

# ---- against real executions ----

start "--against the real run 1 of plan 1"
run simulate "$R4/mvm-plan.1.json" --instance "$R4/instance.1.json" \
    --against "$LOGS/run1/micro_random.1.csv"
expect_rc 0
expect_line "mean normalised deviation over 10 migrations: 8.62 %"
# VM 7: 25.6 s simulated, 34 s real (1436473952 -> 1436473986)
expect_out "     7      3      2          25.6      34.0      24.7 %"
expect_out "completion   152.7 s"
finish

start "--against with --json adds the comparison"
run simulate "$R4/mvm-plan.1.json" --instance "$R4/instance.1.json" \
    --against "$LOGS/run1/micro_random.1.csv" --json
expect_rc 0
expect_out '"compared":10'
expect_out '"mean_deviation":0.086'
finish

start "every random4 plan against its two runs"
for n in 1 2 3 4 5 6 7 8 9 10; do
    for r in run1 run2; do
        run simulate "$R4/mvm-plan.$n.json" --instance "$R4/instance.$n.json" \
            --against "$LOGS/$r/micro_random.$n.csv"
        expect_rc 0
        expect_out "mean normalised deviation over 10 migrations:"
    done
done
finish

start "a log of another plan exits 2 and names the migration"
run simulate "$R4/mvm-plan.1.json" --instance "$R4/instance.1.json" \
    --against "$LOGS/run1/micro_random.2.csv"
expect_rc 2
expect_err "is not in the plan"
finish

start "a malformed log exits 2 with its line"
{
    echo "ACTION;START;END;RUN"
    echo "{action=migrate(vm=vm#7, from=node#3, to=node#2, bw=1000)};1436473952;1436473986;1"
    echo "{action=migrate(vm=vm#5, from=node#1, to=node#3, bw=500)};1436474008;1436473952;1"
} >"$tmp/bad.csv"
run simulate "$R4/mvm-plan.1.json" --instance "$R4/instance.1.json" --against "$tmp/bad.csv"
expect_rc 2
expect_err "line 3"
expect_err "END >= START"
finish

# ---- a plan written here ----

# Two VMs with 100 MiB of hot pages every second (800 Mbit/s of dirtying)
# leave node 0, one after the other on a link of @CAP@ Mbit/s, then node 0
# shuts down (after both: the graph orders it after every departure).
cat >"$tmp/template.json" <<'EOF'
{"origin": {"mapping": {"onlineNodes": {"0": {"runningVMs": [0, 1]}, "1": {"runningVMs": []}},
  "offlineNodes": [], "readyVMs": []},
 "attributes": {"nodes": {"0": {"shutdown": 30}},
  "vms": {"0": {"memUsed": 1000, "hotDirtySize": 100, "hotDirtyDuration": 1, "coldDirtyRate": 0},
          "1": {"memUsed": 1000, "hotDirtySize": 100, "hotDirtyDuration": 1, "coldDirtyRate": 0}}},
 "views": [{"id": "net", "routing": {"type": "default"}, "switches": [{"id": 0, "capacity": -1}],
  "links": [{"id": 0, "capacity": @CAP@, "switch": 0, "physicalElement": {"id": 0, "type": "node"}},
            {"id": 1, "capacity": @CAP@, "switch": 0, "physicalElement": {"id": 1, "type": "node"}}]}]},
 "actions": [
  {"id": "migrateVM", "vm": 0, "from": 0, "to": 1, "bw": @CAP@, "start": 0, "end": 12},
  {"id": "migrateVM", "vm": 1, "from": 0, "to": 1, "bw": @CAP@, "start": 12, "end": 24},
  {"id": "shutdownNode", "node": 0, "start": 24, "end": 54}]}
EOF
sed 's/@CAP@/1000/g' "$tmp/template.json" >"$tmp/fast.json"
sed 's/@CAP@/500/g' "$tmp/template.json" >"$tmp/slow.json"

# At 1000 Mbit/s (125 MiB/s): copy 8 s, 100 MiB of hot pages 0.8 s, then
# 80 MiB draining at 25 MiB/s to the 3.75 MiB that fit in 30 ms (3.05 s),
# 0.03 s paused: 11.88 s each (12 s by the closed form), then 30 s of shutdown.
start "a converging plan: exact times"
run simulate "$tmp/fast.json" --csv -
expect_rc 0
expect_line "migrateVM,0,,0,1,1000,0.000,11.880"
expect_line "migrateVM,1,,0,1,1000,11.880,23.760"
expect_line "shutdownNode,,0,,,,23.760,53.760"
finish

start "--downtime 0 gives the closed form"
run simulate "$tmp/fast.json" --downtime 0 --csv -
expect_rc 0
expect_line "migrateVM,1,,0,1,1000,12.000,24.000"
expect_line "shutdownNode,,0,,,,24.000,54.000"
finish

# At 500 Mbit/s (62.5 MiB/s < 100) the hot pages never fit: VM 0 is abandoned
# at its start + 100 s, VM 1 (same link, planned after it) and the shutdown are
# not started.
start "a non-converging plan exits 1 and names the VM"
run simulate "$tmp/slow.json" --give-up 100
expect_rc 1
expect_out "vm 0 (node 0 -> node 1)"
expect_out "1 migration did not converge"
expect_out "2 actions not started as they depend on them"
expect_out "migrations   0 completed"
finish

start "a non-converging plan: the CSV shows the give-up time"
run simulate "$tmp/slow.json" --give-up 100 --csv -
expect_rc 1
expect_line "migrateVM,0,,0,1,500,0.000,100.000"
expect_line "migrateVM,1,,0,1,500,100.000,100.000"
finish

start "a non-converging plan with --json exits 1"
run simulate "$tmp/slow.json" --give-up 100 --json
expect_rc 1
expect_out '"failed":1'
expect_out '"skipped":2'
finish

# ---- bad input ----

start "a malformed plan exits 2"
head -c 200 "$R4/mvm-plan.1.json" >"$tmp/truncated.json"
run simulate "$tmp/truncated.json" --instance "$R4/instance.1.json"
expect_rc 2
expect_no_out
finish

start "a missing plan exits 2"
run simulate "$tmp/missing.json"
expect_rc 2
expect_no_out
finish

start "an instance given as the plan exits 2"
run simulate "$R4/instance.1.json"
expect_rc 2
expect_no_out
finish

start "a migration without memUsed exits 2 and names the VM"
sed 's/"memUsed": 1000, //' "$tmp/fast.json" >"$tmp/nomem.json"
run simulate "$tmp/nomem.json"
expect_rc 2
expect_err "vm 0"
finish

start "--platform gives the network the instance would: same completion"
run export-platform "$R4/instance.1.json" -o "$tmp/r4.xml"
expect_rc 0
run simulate "$R4/mvm-plan.1.json" --instance "$R4/instance.1.json" --json
cp "$tmp/out" "$tmp/with-instance"
run simulate "$R4/mvm-plan.1.json" --platform "$tmp/r4.xml" --json
expect_rc 0
cmp -s "$tmp/out" "$tmp/with-instance" || fail "--platform and --instance differ"
finish

echo "1..$count"
[ "$failed" -eq 0 ]
