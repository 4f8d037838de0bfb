#!/usr/bin/env bash
# `mvm generate`'s command-line specification: the help text, generated
# instances that `mvm info` and `mvm estimate` read (x1 decommission and random,
# the infra and VM presets, gzip by file name, standard output), the same seed
# giving the same bytes, and bad options exiting 2. Runs mvm ($MVM_BIN) through
# $MVM_WRAPPER when set (e.g. valgrind with --error-exitcode=99: a case whose run
# exits 99 fails). Prints TAP.
set -u

: "${MVM_BIN:?MVM_BIN must name the mvm binary}"

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

start "generate --help"
run generate --help
expect_rc 0
expect_out "Usage: mvm generate"
expect_out "--scale infra:K"
expect_out "--scale vms:K"
finish

start "the command list names generate"
run --help
expect_rc 0
expect_out "generate"
finish

# ---- generated instances read back ----

start "generate decommission (x1), then info"
run generate decommission --seed 3 -o "$tmp/d1.json"
expect_rc 0
expect_no_out
run info "$tmp/d1.json"
expect_rc 0
expect_line "nodes        72 (48 online, 24 offline)"
expect_line "VMs          96 (96 running, 0 sleeping, 0 ready)"
expect_line "resources    mem, cpu"
expect_line "network      4 switches (0 blocking), 75 links, default routing"
expect_line "constraints  144: fence 96, offline 48"
expect_line "objective    minimizeMTTRMigrationScheduling"
expect_line "migrations   96 implied by the constraints"
finish

start "estimate of the generated decommission"
run estimate "$tmp/d1.json"
expect_rc 0
expect_out "96 migrations (precopy model)"
# every migration crosses racks: node > ToR > aggregation > ToR > node
rows=$(grep -cE '^ +[0-9]+ +[0-9]+ +[0-9]+ +[24]000 +1000 .* > switch 3 > ' "$tmp/out")
[ "$rows" -eq 96 ] || fail "$rows inter-rack rows at 1000 Mbit/s, expected 96"
finish

start "generate random --scale infra:2 to .json.gz, then info --json"
run generate random --scale infra:2 -o "$tmp/r2.json.gz"
expect_rc 0
[ "$(od -An -tx1 -N2 "$tmp/r2.json.gz" | tr -d ' ')" = "1f8b" ] || fail "not gzip"
run info --json "$tmp/r2.json.gz"
expect_rc 0
expect_out '"nodes":144,"online_nodes":144,"offline_nodes":0,"vms":192'
expect_out '"switches":7,"blocking_switches":0,"links":150'
expect_out '"constraints":{"fence":192}'
finish

start "generate decommission --scale vms:2 to standard output"
run generate decommission --scale vms:2 --seed 9
expect_rc 0
cp "$tmp/out" "$tmp/v2.json"
grep -q '"rcId":"cpu"' "$tmp/v2.json" || fail "no cpu view on stdout"
grep -q '"nodes":{"0":8,' "$tmp/v2.json" || fail "cpu capacity is not 8"
run info "$tmp/v2.json"
expect_line "VMs          192 (192 running, 0 sleeping, 0 ready)"
expect_line "constraints  240: fence 192, offline 48"
run estimate "$tmp/v2.json"
expect_rc 0
expect_out "192 migrations (precopy model)"
finish

start "the explicit flags give the preset's file"
run generate decommission --racks 6 --scale-aggregation 2 --seed 4 -o "$tmp/flags.json"
expect_rc 0
run generate decommission --scale infra:2 --seed 4 -o "$tmp/preset.json"
expect_rc 0
cmp -s "$tmp/flags.json" "$tmp/preset.json" || fail "--racks 6 --scale-aggregation 2 differs from --scale infra:2"
finish

start "the same seed gives the same bytes, another seed another file"
run generate random --seed 11 -o "$tmp/a.json"
run generate random --seed 11 -o "$tmp/b.json"
run generate random --seed 12 -o "$tmp/c.json"
cmp -s "$tmp/a.json" "$tmp/b.json" || fail "seed 11 twice gave different files"
cmp -s "$tmp/a.json" "$tmp/c.json" && fail "seeds 11 and 12 gave the same file"
finish

# ---- bad options ----

for args in "" "sideways" "decommission --racks 0" "decommission --racks many" \
    "decommission --scale infra:0" "decommission --scale cpu:2" "decommission --scale infra" \
    "random --scale-aggregation -1" "decommission --bogus" "decommission random"; do
    start "generate $args exits 2"
    # shellcheck disable=SC2086 # the arguments are words
    run generate $args -o "$tmp/bad.json"
    expect_rc 2
    expect_no_out
    [ -e "$tmp/bad.json" ] && fail "an output was written"
    finish
done

start "an impossible instance exits 2 with the reason"
run generate decommission --racks 1 -o "$tmp/bad.json"
expect_rc 2
expect_err "decommission needs at least 2 racks"
[ -e "$tmp/bad.json" ] && fail "an output was written"
finish

start "VMs beyond the destinations' room exit 2"
run generate decommission --vms 97 -o "$tmp/bad.json"
expect_rc 2
expect_err "97 VMs need 97 cpu"
finish

echo "1..$count"
[ "$failed" -eq 0 ]
