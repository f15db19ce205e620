#!/bin/bash
# Runs the shipped deploy/slurm/ose-workers.sbatch on a one-node Slurm cluster made here, against PostgreSQL, and checks
# that the search it serves completes: Debian's slurm-wlm and munge (installed if missing, needs root), munged,
# slurmctld and slurmd started from a temporary folder on ports of their own, a search that only enqueues
# (--workers 0), a job array of 4 workers, then everything stopped and removed. PostgreSQL: the server of
# OSE_TEST_POSTGRES if set, else a throw-away one. Prints "slurm single-node test: passed" and exits 0, or says what failed.
#
#   sudo deploy/slurm/test-single-node.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
[ "$(id -u)" -eq 0 ] || { echo "run as root: it installs packages and starts munged, slurmctld and slurmd" >&2; exit 2; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi

tmp=$(mktemp -d /tmp/ose-slurm.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
    scancel --quiet --name=ose-workers 2>/dev/null || true
    for pidfile in "$tmp/slurmd.pid" "$tmp/slurmctld.pid" "$tmp/munge/munged.pid"; do
        [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    sleep 1
    if [ -n "${pg_dir:-}" ]; then
        su postgres -s /bin/sh -c "'$pg_bin/pg_ctl' -D '$pg_dir/data' -m fast -w stop >/dev/null" || true
        rm -rf "$pg_dir"
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# PostgreSQL: the test server, or one of our own on a Unix socket.
if [ -z "${OSE_TEST_POSTGRES:-}" ]; then
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    pg_dir=$(mktemp -d /tmp/ose-slurm-postgres.XXXXXX)
    chmod 755 "$pg_dir" && chown postgres "$pg_dir"
    su postgres -s /bin/sh -c "'$pg_bin/initdb' -D '$pg_dir/data' -U postgres --auth=trust >/dev/null"
    printf "listen_addresses = ''\nunix_socket_directories = '%s'\n" "$pg_dir" >> "$pg_dir/data/postgresql.conf"
    su postgres -s /bin/sh -c "'$pg_bin/pg_ctl' -D '$pg_dir/data' -l '$pg_dir/server.log' -w start >/dev/null"
    OSE_TEST_POSTGRES="postgresql://postgres@/postgres?host=$pg_dir"
fi

# munge: a key of our own and a socket in the temporary folder; munged runs as its own user.
mkdir -p "$tmp/munge" && chown munge "$tmp/munge" && chmod 755 "$tmp/munge"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chown munge "$tmp/munge/munge.key" && chmod 400 "$tmp/munge/munge.key"
runuser -u munge -- munged --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/munge.sock" \
    --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munge/munged.log" --seed-file="$tmp/munge/munged.seed"

# Slurm: one node, this machine, every CPU; no cgroups (containers rarely allow them).
host=$(hostname -s)
cpus=$(nproc)
mkdir -p "$tmp/state" "$tmp/spool"
cat > "$tmp/slurm.conf" <<CONF
ClusterName=ose-test
SlurmctldHost=$host
SlurmUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.sock
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
export SLURM_CONF=$tmp/slurm.conf
slurmctld
slurmd
for _ in $(seq 60); do sinfo -h -o %T 2>/dev/null | grep -qE '^idle' && break; sleep 1; done
sinfo -h -o "%P %N %T %c" | sed 's/^/slurm: /'

# ose, built once where the nodes (this one) read it.
dotnet build -c Release src/Ose.Cli -v q -nologo >/dev/null
OSE="dotnet $root/src/Ose.Cli/bin/Release/net10.0/linux-x64/Ose.Cli.dll"

# The search: 24 candidates at a simulated 2 s each, rounds of 4, evaluated only by the Slurm workers.
study="slurm-$(date +%s)"
echo '{"D": [1, 2, 3, 4, 5, 6], "A": [2, 4], "H": [64, 128], "I": [256]}' > "$tmp/space.json"
$OSE search --source bert-mini --space "$tmp/space.json" --errors proxy:scaling-law --simulate-cost 2s --searcher exhaustive \
    --budget none --out "$tmp/run" --storage "$OSE_TEST_POSTGRES" --study "$study" --workers 0 --in-flight 4 \
    > "$tmp/search.log" 2>&1 &
search=$!
pids+=("$search")
for _ in $(seq 60); do $OSE status --storage "$OSE_TEST_POSTGRES" --study "$study" >/dev/null 2>&1 && break; sleep 1; done

mkdir -p "$tmp/jobs"
(cd "$tmp/jobs" && sbatch --array=0-3 --cpus-per-task=1 --mem=0 --time=10 \
    --export=ALL,OSE_STORAGE="$OSE_TEST_POSTGRES",OSE_STUDY="$study",OSE="$OSE" "$root/deploy/slurm/ose-workers.sbatch") | sed 's/^/slurm: /'
sleep 5
squeue -h -o "slurm: %i %T %R" || true
$OSE status --storage "$OSE_TEST_POSTGRES" --study "$study" | sed 's/^/status: /'

if ! timeout 300 tail --pid="$search" -f /dev/null; then echo "the search did not finish in 5 minutes" >&2; cat "$tmp/search.log" >&2; exit 1; fi
wait "$search" || { echo "the search failed:" >&2; cat "$tmp/search.log" >&2; exit 1; }
grep -E '^certificate|chosen' "$tmp/search.log" | sed 's/^/search: /'
$OSE status --storage "$OSE_TEST_POSTGRES" --study "$study" | sed 's/^/status: /'
for _ in $(seq 60); do [ -z "$(squeue -h)" ] && break; sleep 1; done
cat "$tmp/jobs"/ose-worker-*.log | grep -E 'completed, ' | sed 's/^/slurm job log: /'
completed=$(cat "$tmp/jobs"/ose-worker-*.log | grep -E 'completed, ' | awk '{s += $3} END {print s + 0}')
evaluated=$(grep -c ',evaluated,' "$tmp/run/candidates.csv")
if [ "$completed" -ne 24 ] || [ "$evaluated" -ne 24 ]; then
    echo "slurm single-node test: failed: the workers completed $completed trials, candidates.csv has $evaluated evaluated (want 24)" >&2
    exit 1
fi
echo "slurm single-node test: passed (24 trials completed by $(ls "$tmp/jobs" | wc -l) Slurm array tasks)"
