#!/usr/bin/env bash
# SimGrid platforms on the command line: `mvm export-platform` (help, usage
# errors, a Dijkstra platform of hosts node-<id> for the random4 instance and a
# rack instance, standard output, an instance without a network view, atomic
# writes) and `--platform` in estimate, schedule, verify and retime: the exported
# platform gives exactly the same estimate table and schedule as the instance's
# own network; a platform with slower links gives longer migrations (estimate
# and schedule) and makes mVM's plan oversubscribe (verify exit 1); a malformed
# platform exits 2 naming its line, and writes nothing. Runs mvm ($MVM_BIN) on
# the data in $MVM_DATA, through $MVM_WRAPPER when set (e.g. valgrind with
# --error-exitcode=99: a case whose run exits 99 fails). Prints TAP.
set -u

: "${MVM_BIN:?MVM_BIN must name the mvm binary}"
: "${MVM_DATA:?MVM_DATA must name tests/data}"
R4="$MVM_DATA/instances/random4"

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

SCALE="$MVM_DATA/instances/scale/random_infra_scale/x1-instance_1.json"

# ---- export-platform ----

start "export-platform --help"
run export-platform --help
expect_rc 0
expect_out "Usage: mvm export-platform INSTANCE"
finish

start "export-platform without an instance exits 2"
run export-platform
expect_rc 2
expect_err "expected one INSTANCE"
finish

start "export-platform --host-speed must be positive"
run export-platform "$R4/instance.1.json" --host-speed fast
expect_rc 2
expect_err "--host-speed"
finish

start "export-platform writes a SimGrid 4.1 platform"
run export-platform "$R4/instance.1.json" -o "$tmp/r4.xml"
expect_rc 0
expect_no_out
grep -qF '<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">' "$tmp/r4.xml" || fail "no DOCTYPE"
grep -qF '<platform version="4.1">' "$tmp/r4.xml" || fail "no version"
grep -qF '<zone id="mvm" routing="Dijkstra">' "$tmp/r4.xml" || fail "not a Dijkstra zone"
grep -qF '<host id="node-3" speed="1Gf">' "$tmp/r4.xml" || fail "no host node-3"
grep -qF '<link id="link-0" bandwidth="500Mbps" latency="0ms" sharing_policy="SPLITDUPLEX"/>' "$tmp/r4.xml" || fail "no link-0 at 500Mbps"
grep -qF '<route src="node-0" dst="switch-0"><link_ctn id="link-0" direction="UP"/></route>' "$tmp/r4.xml" || fail "no route for link-0"
finish

start "export-platform to standard output"
run export-platform "$SCALE" --host-speed 2.5e9
expect_rc 0
expect_out '<host id="node-71" speed="2.5Gf">'
expect_out '<router id="switch-3"/>'
expect_out '<link id="link-74" bandwidth="10000Mbps"'
finish

start "export-platform of an instance without network: the assumed 1 Gbit/s star"
run export-platform "$MVM_DATA/instances/placement/issue-100.json.gz"
expect_rc 0
expect_out '<link id="link-31" bandwidth="1000Mbps"'
[ "$(grep -c '<host ' "$tmp/out")" -eq 32 ] || fail "expected 32 hosts"
finish

start "export-platform into a missing directory exits 2 and leaves nothing"
run export-platform "$R4/instance.1.json" -o "$tmp/missing/p.xml"
expect_rc 2
[ ! -e "$tmp/missing" ] || fail "$tmp/missing was created"
finish

# ---- --platform: the same network gives the same answers ----

for inst in "$R4/instance.1.json" "$SCALE"; do
    start "estimate --platform (exported) = estimate: $(basename "$inst")"
    run export-platform "$inst" -o "$tmp/same.xml"
    run estimate "$inst"
    cp "$tmp/out" "$tmp/plain.txt"
    run estimate "$inst" --platform "$tmp/same.xml"
    expect_rc 0
    cmp -s "$tmp/out" "$tmp/plain.txt" || fail "the tables differ"
    finish
done

start "schedule --platform (exported) = schedule"
run schedule "$R4/instance.1.json" -q --json
sed 's/"solve_time_s":[^,]*,"peak_rss_mib":[^,]*,//' "$tmp/out" >"$tmp/plain.json"
run schedule "$R4/instance.1.json" -q --json --platform "$tmp/r4.xml"
expect_rc 0
sed -i 's/"solve_time_s":[^,]*,"peak_rss_mib":[^,]*,//' "$tmp/out"
cmp -s "$tmp/out" "$tmp/plain.json" || fail "the schedules differ"
finish

start "verify --platform (exported): mVM's plan stays valid"
run verify "$R4/instance.1.json" "$R4/mvm-plan.1.json" --platform "$tmp/r4.xml"
expect_rc 0
expect_out "VALID"
finish

start "retime --platform (exported) = retime"
run retime "$R4/mvm-plan.1.json" --json
cp "$tmp/out" "$tmp/plain.json"
run retime "$R4/mvm-plan.1.json" --json --instance "$R4/instance.1.json" --platform "$tmp/r4.xml"
expect_rc 0
cmp -s "$tmp/out" "$tmp/plain.json" || fail "the re-timings differ"
finish

# ---- --platform: slower links ----

sed 's/bandwidth="1000Mbps"/bandwidth="600Mbps"/' "$tmp/r4.xml" >"$tmp/slow.xml"

start "estimate --platform with 600 Mbit/s links: node 3 -> node 2 at 600"
run estimate "$R4/instance.1.json" --platform "$tmp/slow.xml"
expect_rc 0
expect_line "     3      3      2      2000        600        30.9  node 3 > switch 0 > node 2"
finish

start "schedule --platform with slower links: a longer plan"
run schedule "$R4/instance.1.json" -q --json
plain=$(sed 's/.*"makespan_s":\([0-9]*\).*/\1/' "$tmp/out")
run schedule "$R4/instance.1.json" -q --json --platform "$tmp/slow.xml" -o "$tmp/slow-plan.json"
expect_rc 0
slow=$(sed 's/.*"makespan_s":\([0-9]*\).*/\1/' "$tmp/out")
[ "$slow" -gt "$plain" ] 2>/dev/null || fail "makespan $slow, expected more than $plain"
finish

start "verify --platform with slower links: the plan on the slower network is valid"
run verify "$R4/instance.1.json" "$tmp/slow-plan.json" --platform "$tmp/slow.xml"
expect_rc 0
finish

start "verify --platform with slower links: mVM's plan oversubscribes them"
run verify "$R4/instance.1.json" "$R4/mvm-plan.1.json" --platform "$tmp/slow.xml"
expect_rc 1
expect_out "net-capacity"
expect_out "capacity 600 Mbit/s"
finish

# ---- malformed platforms ----

cat >"$tmp/bad.xml" <<'XML'
<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <zone id="z" routing="Full">
    <host id="node-0" speed="1Gf"/>
    <link id="l3" bandwidth="fast" latency="0"/>
  </zone>
</platform>
XML

start "schedule --platform malformed: exit 2, the line, nothing written"
run schedule "$R4/instance.1.json" --platform "$tmp/bad.xml" -o "$tmp/never.json"
expect_rc 2
expect_err 'bad.xml: line 6: link "l3": bandwidth "fast": expected a number with a unit such as 1Gbps'
[ ! -e "$tmp/never.json" ] || fail "a plan was written"
finish

printf '<platform version="4.1">\n  <zone id="z" routing="Full">\n</platform>\n' >"$tmp/broken.xml"
for cmd in estimate verify retime; do
    start "$cmd --platform not well-formed: exit 2 with the line"
    case $cmd in
    estimate) run estimate "$R4/instance.1.json" --platform "$tmp/broken.xml" ;;
    verify) run verify "$R4/instance.1.json" "$R4/mvm-plan.1.json" --platform "$tmp/broken.xml" ;;
    retime) run retime "$R4/mvm-plan.1.json" --platform "$tmp/broken.xml" -o "$tmp/never.json" ;;
    esac
    expect_rc 2
    expect_err "broken.xml: line 3: not well-formed XML"
    [ ! -e "$tmp/never.json" ] || fail "a plan was written"
    finish
done

start "--platform in a broken encoding: exit 2, only mvm's message on stderr"
printf '\376\377\000<\330\000\000A\000A' >"$tmp/utf16.xml"
run estimate "$R4/instance.1.json" --platform "$tmp/utf16.xml"
expect_rc 2
expect_err "utf16.xml: line 1: not well-formed XML"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "libxml2 printed on stderr"
finish

start "--platform missing a node of the instance: exit 2"
awk '/<host id="node-3"/ { skip = 1 } !skip { print } /<\/host>/ { skip = 0 }' "$tmp/r4.xml" |
    grep -v 'link-3' >"$tmp/three.xml"
run estimate "$R4/instance.1.json" --platform "$tmp/three.xml"
expect_rc 2
expect_err "node 3 of the instance has no host in the platform"
finish

start "--platform of a missing file: exit 2"
run estimate "$R4/instance.1.json" --platform "$tmp/nothing.xml"
expect_rc 2
expect_err "nothing.xml"
finish

echo "1..$count"
[ "$failed" -eq 0 ]
