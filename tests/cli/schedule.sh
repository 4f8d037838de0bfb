#!/usr/bin/env bash
# The `mvm schedule` command's specification: help, a plan for random4
# instance 1 that `mvm verify` accepts (with both objectives, one thread or
# two, and the same bytes for the same seed), the summary (text, --json,
# --quiet, or on standard error when the plan goes to standard output), the
# baseline policies (sequential valid; mb:K and btrplace with only the
# violations they are known for: links, and btrplace's noDP durations), and
# the exit codes: 1 with "no solution:" when no plan exists, 2 for malformed
# or unsupported instances, usage errors and unwritable outputs (which leave
# nothing behind). Runs mvm ($MVM_BIN) on the data in $MVM_DATA, through
# $MVM_WRAPPER when set (e.g. valgrind with --error-exitcode=99: a case whose
# run exits 99 fails). Prints TAP.
set -u

: "${MVM_BIN:?MVM_BIN must name the mvm binary}"
: "${MVM_DATA:?MVM_DATA must name tests/data}"
R4="$MVM_DATA/instances/random4"
I1="$R4/instance.1.json"

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
expect_err() { grep -qF -- "$1" "$tmp/err" || fail "stderr lacks '$1'"; }
expect_no_out() { [ ! -s "$tmp/out" ] || fail "stdout is not empty"; }
expect_no_err() { [ ! -s "$tmp/err" ] || fail "stderr is not empty"; }

# verify_plan INSTANCE PLAN: `mvm verify` must accept the plan (run as a check of the case).
verify_plan() {
    ${MVM_WRAPPER:-} "$MVM_BIN" verify "$1" "$2" >"$tmp/vout" 2>"$tmp/verr"
    local vrc=$?
    [ "$vrc" -eq 0 ] || fail "mvm verify exits $vrc on $2: $(head -n 3 "$tmp/vout" "$tmp/verr")"
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

start "schedule --help"
run schedule --help
expect_rc 0
expect_out "Usage:"
expect_out "mvm schedule"
expect_out "--objective"
finish

start "schedule with an unknown option exits 2"
run schedule --bogus "$I1"
expect_rc 2
expect_no_out
finish

start "schedule --objective bogus exits 2"
run schedule --objective bogus "$I1"
expect_rc 2
expect_err "--objective"
expect_no_out
finish

start "schedule --time-limit soon exits 2"
run schedule --time-limit soon "$I1"
expect_rc 2
finish

start "schedule --threads 0 exits 2"
run schedule --threads 0 "$I1"
expect_rc 2
finish

start "schedule without an instance exits 2"
run schedule
expect_rc 2
finish

# ---- plans, checked by mvm verify ----

start "schedule random4 instance 1, then verify the plan"
run schedule "$I1" -o "$tmp/p1.json"
expect_rc 0
expect_out "makespan"
expect_out "sum of ends"
expect_out "lower bound"
expect_out "written to $tmp/p1.json"
[ -s "$tmp/p1.json" ] || fail "no plan written"
verify_plan "$I1" "$tmp/p1.json"
finish

start "schedule --objective makespan reaches the bound of instance 1 (152 s)"
run schedule --objective makespan --json "$I1" -o "$tmp/p1m.json"
expect_rc 0
expect_out '"objective":"makespan"'
expect_out '"makespan_s":152,"makespan_bound_s":152,'
verify_plan "$I1" "$tmp/p1m.json"
finish

start "schedule --json prints one JSON object"
run schedule --json "$I1" -o "$tmp/p1j.json"
expect_rc 0
expect_out '"makespan_s":'
expect_out '"objective":"mttr"'
expect_out '"migrations":10,"bypasses":0,'
expect_out "\"plan\":\"$tmp/p1j.json\"}"
[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "more than one line"
grep -qxE '\{("[a-z_]+":("[^"]*"|-?[0-9.]+|null),)*"[a-z_]+":("[^"]*"|-?[0-9.]+|null)\}' \
    "$tmp/out" || fail "stdout is not a flat JSON object: $(head -c 200 "$tmp/out")"
verify_plan "$I1" "$tmp/p1j.json"
finish

start "schedule -o - writes the plan on stdout, the summary on stderr"
run schedule "$I1" -o -
expect_rc 0
[ "$(head -c 9 "$tmp/out")" = '{"origin"' ] || fail "stdout does not start with {\"origin\""
grep -qF "makespan" "$tmp/out" && fail "the summary went to stdout"
expect_err "makespan"
expect_err "written to standard output"
cp "$tmp/out" "$tmp/p1s.json"
verify_plan "$I1" "$tmp/p1s.json"
finish

start "schedule --quiet prints nothing"
run schedule --quiet "$I1" -o "$tmp/p1q.json"
expect_rc 0
expect_no_out
expect_no_err
verify_plan "$I1" "$tmp/p1q.json"
finish

start "schedule without -o prints the summary only"
run schedule "$I1"
expect_rc 0
expect_out "makespan"
grep -qF '"origin"' "$tmp/out" && fail "a plan went to stdout"
finish

start "the same seed gives the same plan"
run schedule --seed 5 --quiet "$I1" -o "$tmp/s5a.json"
expect_rc 0
run schedule --seed 5 --quiet "$I1" -o "$tmp/s5b.json"
expect_rc 0
cmp -s "$tmp/s5a.json" "$tmp/s5b.json" || fail "two runs with --seed 5 differ"
verify_plan "$I1" "$tmp/s5a.json"
finish

start "schedule --threads 2 finds a valid plan"
run schedule --threads 2 --seed 3 --json "$I1" -o "$tmp/t2.json"
expect_rc 0
expect_out '"threads":2'
verify_plan "$I1" "$tmp/t2.json"
finish

for n in 2 5 9; do
    start "schedule random4 instance $n, both objectives, verified"
    for objective in mttr makespan; do
        run schedule --quiet --objective "$objective" "$R4/instance.$n.json" -o "$tmp/p$n.json"
        expect_rc 0
        verify_plan "$R4/instance.$n.json" "$tmp/p$n.json"
    done
    finish
done

# ---- baseline policies ----

start "schedule --help lists the policies"
run schedule --help
expect_rc 0
expect_out "--policy"
expect_out "sequential"
expect_out "mb:K"
expect_out "btrplace"
finish

for bad in bogus mb mb: mb:0 mb:-2 mb:x mb:2x MB:2 ""; do
    start "schedule --policy '$bad' exits 2"
    run schedule --policy "$bad" "$I1" -o "$tmp/bad-policy.json"
    expect_rc 2
    expect_err "--policy"
    expect_no_out
    [ ! -e "$tmp/bad-policy.json" ] || fail "a plan was written"
    finish
done

start "schedule --policy mvm is the default: same bytes"
run schedule --quiet --policy mvm "$I1" -o "$tmp/pm.json"
expect_rc 0
run schedule --quiet "$I1" -o "$tmp/pd.json"
expect_rc 0
cmp -s "$tmp/pm.json" "$tmp/pd.json" || fail "--policy mvm differs from the default"
run schedule --json "$I1"
expect_out '{"policy":"mvm",'
finish

start "schedule --policy sequential: a valid plan, one migration at a time (404 s)"
run schedule --policy sequential --json "$I1" -o "$tmp/pseq.json"
expect_rc 0
expect_out '{"policy":"sequential",'
expect_out '"makespan_s":404,"makespan_bound_s":152,'
expect_out '"schedules":1,'
verify_plan "$I1" "$tmp/pseq.json"
run schedule --policy sequential "$I1"
expect_rc 0
expect_out "one migration at a time"
grep -qF "not checked" "$tmp/out" && fail "sequential checks everything"
finish

start "schedule --policy mb:2: links not checked, mvm verify reports them (only them)"
run schedule --policy mb:2 "$I1" -o "$tmp/pmb.json"
expect_rc 0
expect_out "mb:2"
expect_out "at most 2 migrations at once"
expect_out "not checked  links"
expect_out "mvm verify"
run schedule --policy mb:2 --json "$I1"
expect_out '{"policy":"mb:2",'
expect_out '"makespan_s":209,'
run verify "$I1" "$tmp/pmb.json"
expect_rc 1
expect_out "net-capacity"
grep -v "net-capacity" "$tmp/out" | grep -qE "^ +t=" && fail "violations other than net-capacity"
finish

start "schedule --policy btrplace: links and dirty pages ignored, mvm verify reports both"
run schedule --policy btrplace "$I1" -o "$tmp/pbp.json"
expect_rc 0
expect_out "original BtrPlace"
expect_out "not checked  links"
expect_out "noDP"
run schedule --policy btrplace --json "$I1"
expect_out '{"policy":"btrplace",'
expect_out '"makespan_s":80,"makespan_bound_s":152,'
run verify "$I1" "$tmp/pbp.json"
expect_rc 1
expect_out "net-capacity"
expect_out "duration"
grep -vE "net-capacity|duration" "$tmp/out" | grep -qE "^ +t=" && fail "violations of other kinds"
run verify --model nodp "$I1" "$tmp/pbp.json"
expect_rc 1
grep -F "duration" "$tmp/out" | grep -qE "^ +t=" && fail "durations are not noDP"
finish

# verify_only INSTANCE PLAN KINDS: `mvm verify` runs (exit 0 or 1) and reports no violation
# other than those of the kinds matched by the extended regex KINDS.
verify_only() {
    ${MVM_WRAPPER:-} "$MVM_BIN" verify "$1" "$2" >"$tmp/vout" 2>"$tmp/verr"
    local vrc=$?
    [ "$vrc" -le 1 ] || fail "mvm verify exits $vrc on $2: $(head -n 3 "$tmp/verr")"
    grep -E "^ +t=" "$tmp/vout" | grep -vqE "$3" &&
        fail "$2: violations other than $3: $(grep -E "^ +t=" "$tmp/vout" | grep -vE "$3" | head -n 1)"
}

for n in 2 5 9; do
    start "schedule random4 instance $n with every policy, verified"
    R="$R4/instance.$n.json"
    for policy in sequential mb:1 mb:2 mb:3 btrplace; do
        run schedule --quiet --policy "$policy" "$R" -o "$tmp/pp$n-$policy.json"
        expect_rc 0
    done
    verify_plan "$R" "$tmp/pp$n-sequential.json"
    verify_plan "$R" "$tmp/pp$n-mb:1.json"
    verify_only "$R" "$tmp/pp$n-mb:2.json" "net-capacity"
    verify_only "$R" "$tmp/pp$n-mb:3.json" "net-capacity"
    verify_only "$R" "$tmp/pp$n-btrplace.json" "net-capacity|duration"
    finish
done

# ---- instances without a plan ----

# nodes 0 and 1 (memory 4) swap their VMs (memory 4), and no node has room for a bypass
cat >"$tmp/swap.json" <<'EOF'
{"model": {"mapping": {"onlineNodes": {"0": {"runningVMs": [0]}, "1": {"runningVMs": [1]}},
  "offlineNodes": [], "readyVMs": []},
  "attributes": {"nodes": {}, "vms": {"0": {"memUsed": 1250}, "1": {"memUsed": 1250}}},
  "views": [{"id": "shareableResource", "rcId": "mem", "defCapacity": 4, "defConsumption": 4}]},
 "constraints": [{"id": "fence", "vm": 0, "nodes": [1]}, {"id": "fence", "vm": 1, "nodes": [0]}]}
EOF

start "an infeasible instance exits 1 with the reason"
run schedule "$tmp/swap.json" -o "$tmp/swap-plan.json"
expect_rc 1
expect_no_out
expect_err "no solution:"
expect_err "cycle"
[ ! -e "$tmp/swap-plan.json" ] || fail "a plan was written"
finish

sed 's/"constraints": \[/"constraints": [{"id": "mostlySpread", "vms": [0, 1], "continuous": true}, /' \
    "$I1" >"$tmp/spread.json"

start "an unsupported constraint exits 2"
run schedule "$tmp/spread.json" -o "$tmp/spread-plan.json"
expect_rc 2
expect_err "mostlySpread"
expect_err "not supported"
[ ! -e "$tmp/spread-plan.json" ] || fail "a plan was written"
finish

printf '{"model": {"mapping": ' >"$tmp/truncated.json"

start "a malformed instance exits 2"
run schedule "$tmp/truncated.json" -o "$tmp/truncated-plan.json"
expect_rc 2
expect_err "truncated.json"
[ ! -e "$tmp/truncated-plan.json" ] || fail "a plan was written"
finish

start "a plan is not an instance: exits 2"
run schedule "$R4/mvm-plan.1.json"
expect_rc 2
finish

start "output into a missing directory exits 2 and leaves nothing"
mkdir "$tmp/o"
run schedule "$I1" -o "$tmp/o/missing/plan.json"
expect_rc 2
expect_err "missing"
[ -z "$(ls -A "$tmp/o")" ] || fail "files were left: $(ls -A "$tmp/o")"
finish

echo "1..$count"
[ "$failed" -eq 0 ]
