#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for `make test-slurm` (tests/runner/slurm_live_test.sh).
#
#   scripts/slurm-cluster.sh start DIR   install slurm-wlm and munge when missing, write DIR/slurm.conf,
#                                        start munged, slurmctld and slurmd, wait for the node to be idle
#   scripts/slurm-cluster.sh stop DIR    cancel the cluster's jobs, stop the three daemons by the pids in
#                                        DIR/*.pid (never by name)
#
# Clients use the cluster with `export SLURM_CONF=DIR/slurm.conf`. Everything lives under DIR: a
# private munge key and socket (the system's munged, if any, is not touched), state, spool, logs.
# No systemd is needed. The recipe is the one in ../shared/notes/verified-facts.md: Debian's
# slurm-wlm 22.05, SlurmUser=root, ports 16817/16818 (HECTO_SLURM_PORT and HECTO_SLURM_PORT+1 to
# move them), proctrack/linuxproc and task/none so no cgroups are needed. Must run as root.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
action=$1
dir=$2

log() { echo "slurm-cluster: $*" >&2; }

# Stops the process named in a pid file when it is still the program we started (a reused pid of
# another program is left alone).
stop_pid_file() {  # pidfile program
  local file=$1 program=$2 pid i
  [[ -s "$file" ]] || return 0
  pid=$(cat "$file")
  if [[ "$pid" =~ ^[0-9]+$ ]] && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$program" ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 50); do
      [[ -d "/proc/$pid" ]] || break
      sleep 0.2
    done
    if [[ -d "/proc/$pid" ]]; then
      log "$program ($pid) ignored SIGTERM for 10 s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
}

stop() {
  [[ -d "$dir" ]] || return 0
  if [[ -s "$dir/slurm.conf" && -s "$dir/slurmctld.pid" ]]; then
    # Jobs first, so no slurmstepd or hecto outlives the daemons.
    export SLURM_CONF="$dir/slurm.conf"
    scancel --quiet --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 50); do
      [[ -z "$(squeue -h -o %i 2>/dev/null)" ]] && break
      sleep 0.2
    done
  fi
  stop_pid_file "$dir/slurmd.pid" slurmd
  stop_pid_file "$dir/slurmctld.pid" slurmctld
  stop_pid_file "$dir/munged.pid" munged
  log "stopped the cluster in $dir"
}

install_missing() {
  local missing=() p
  for p in slurm-wlm munge; do
    [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" == "install ok installed" ]] || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

write_conf() {
  local host cpus mem_mb port
  host=$(hostname -s)
  cpus=$(nproc)
  mem_mb=$(($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024 * 9 / 10))
  port=${HECTO_SLURM_PORT:-16817}
  cat >"$dir/slurm.conf" <<EOF
# Written by scripts/slurm-cluster.sh: a single-node test cluster, everything under $dir.
ClusterName=hecto-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket.2
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$host CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
}

start_munged() {
  mkdir -p "$dir/munge"
  chmod 700 "$dir/munge"
  # A private key: 1024 random bytes, readable by its owner only (munged refuses anything looser).
  head -c 1024 /dev/urandom >"$dir/munge/munge.key"
  chmod 400 "$dir/munge/munge.key"
  /usr/sbin/munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket.2" \
    --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munged.seed"
  local i
  for i in $(seq 50); do
    if munge -n --socket="$dir/munge/munge.socket.2" 2>/dev/null |
      unmunge --socket="$dir/munge/munge.socket.2" 2>/dev/null | grep -q 'STATUS: *Success'; then
      return 0
    fi
    sleep 0.1
  done
  log "munged does not answer on $dir/munge/munge.socket.2; see $dir/munged.log"
  return 1
}

wait_for_idle_node() {
  local i state=""
  for i in $(seq 150); do
    state=$(sinfo -h -o %T 2>/dev/null | head -n1 || true)
    [[ "$state" == idle ]] && return 0
    sleep 0.2
  done
  log "the node is '${state:-unknown}' after 30 s, not idle; see $dir/slurmctld.log and $dir/slurmd.log"
  return 1
}

start() {
  [[ $(id -u) -eq 0 ]] || { log "must run as root (SlurmUser=root, munged --force)"; exit 1; }
  install_missing
  mkdir -p "$dir/state" "$dir/spool"
  dir=$(cd "$dir" && pwd)
  write_conf
  start_munged
  /usr/sbin/slurmctld -f "$dir/slurm.conf"
  /usr/sbin/slurmd -f "$dir/slurm.conf"
  export SLURM_CONF="$dir/slurm.conf"
  wait_for_idle_node
  log "up: export SLURM_CONF=$dir/slurm.conf"
}

case "$action" in
  start)
    # A start that fails halfway leaves nothing running.
    trap 'rc=$?; if ((rc != 0)); then stop; fi' EXIT
    start
    ;;
  stop) stop ;;
  *) usage ;;
esac
