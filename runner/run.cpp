#include "runner/run.h"

#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "common/error.h"
#include "common/interrupt.h"
#include "common/logging.h"
#include "experiment/plan.h"
#include "floors/floor.h"
#include "results/clock.h"
#include "results/store.h"
#include "runner/job_policy.h"
#include "runner/progress.h"
#include "runner/worker_command.h"
#include "runtime/device.h"
#include "runtime/provenance.h"
#include "runtime/runtime.h"
#include "runtime/torch_error.h"
#include "tasks/task.h"
#include "train/encoder_factory.h"
#include "train/trainer.h"

extern char** environ;

namespace hecto::runner {

namespace fs = std::filesystem;
using experiment::Cell;
using experiment::cell_ids;
using experiment::Plan;

namespace {

std::string owner_id() { return runtime::host_name() + ":" + std::to_string(getpid()); }

Plan load_run_plan(const RunOptions& o) {
  experiment::PlanOptions popts;
  popts.overrides = o.overrides;
  if (o.no_cache) popts.flag_overrides.push_back({"--no-cache", "train.feature_cache=false"});
  if (o.pad_to_max) popts.flag_overrides.push_back({"--pad-to-max", "train.padding=\"max\""});
  if (!o.precision.empty())
    popts.flag_overrides.push_back({"--precision " + o.precision, "train.precision=\"" + o.precision + "\""});
  popts.only = o.only;
  popts.profile = o.profile;
  popts.data_dir = o.data_dir;
  return experiment::load_plan(o.experiment_file, popts);
}

std::vector<Cell> cells_of_this_shard(const RunOptions& o, const Plan& plan) {
  if (o.shard.empty()) return plan.cells;
  const auto shard = experiment::parse_shard(o.shard);
  auto cells = experiment::cells_for_shard(plan, shard.index, shard.count);
  spdlog::info("shard {}/{}: {} of {} cells", shard.index, shard.count, cells.size(), plan.cells.size());
  return cells;
}

std::vector<results::CellSpec> cell_specs(const Plan& plan) {
  std::vector<results::CellSpec> specs;
  for (const auto& c : plan.cells) {
    results::CellSpec s{c.id, plan.experiment, c.config.to_json().dump(), c.axes};
    s.axes["encoder_name"] = train::encoder_label(c.config.encoder);
    if (!c.config.data.framing.empty()) s.axes["framing"] = c.config.data.framing;
    specs.push_back(std::move(s));
  }
  return specs;
}

// Records the plan's cells. A whole plan (no --only) is the experiment as it stands now: cells
// an earlier version of its file or profile planned leave it, and its tables with it.
void register_plan(results::Store& store, const RunOptions& o, const Plan& plan) {
  store.register_experiment(plan.experiment, plan.source_file, plan.source_text, cell_specs(plan));
  if (!o.only.empty()) return;
  if (const int unlinked = store.record_whole_plan(plan.experiment, cell_ids(plan.cells)))
    spdlog::info("{}: {} cells of an earlier plan (before its file or profile changed) are no longer part of it; "
                 "they stay in the database's cells table",
                 plan.experiment, unlinked);
}

// The peak memory finished cells of the database measured, by shape (none without a database).
MeasuredPeaks measured_peaks(const std::string& db_path) {
  MeasuredPeaks peaks;
  if (!std::filesystem::exists(db_path)) return peaks;
  results::QueryResult result;
  try {
    result = results::Store::open(db_path, results::Store::Mode::ReadOnly)
                 .query("SELECT c.config_json, t.peak_rss_bytes FROM cells c JOIN timings t ON t.cell_id = c.id "
                        "WHERE c.status = 'done' AND t.peak_rss_bytes > 0");
  } catch (const std::exception& e) {  // an older schema without peaks: the estimate it is
    spdlog::debug("no measured cell memory in {}: {}", db_path, e.what());
    return peaks;
  }
  for (const auto& row : result.rows) {
    const auto config = nlohmann::json::parse(row[0], nullptr, /*allow_exceptions=*/false);
    if (config.is_discarded()) continue;
    auto& peak = peaks[memory_shape(config)];
    peak = std::max<int64_t>(peak, std::stoll(row[1]));
  }
  return peaks;
}

int resolve_jobs(const RunOptions& o, const Plan& plan, const runtime::DeviceChoice& device) {
  if (o.jobs != "auto") {
    int n = 0;
    try {
      n = std::stoi(o.jobs);
    } catch (...) {
    }
    if (n < 1) throw common::InputError({"--jobs"}, "invalid value '" + o.jobs + "'", "a positive number or auto");
    return n;
  }
  // On a GPU machine: one worker per GPU.
  if (device.is_cuda()) return std::max(1, std::min(runtime::cuda_device_count(), static_cast<int>(plan.cells.size())));
  std::vector<experiment::Config> configs;
  for (const auto& c : plan.cells) configs.push_back(c.config);
  const int64_t memory = static_cast<int64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<int64_t>(sysconf(_SC_PAGE_SIZE));
  return auto_jobs(std::max(1, runtime::physical_cores()), configs, memory, measured_peaks(o.db_path));
}

// A cell left `running` by a process on this host that no longer exists is put back at once,
// rather than waiting for its lease to expire.
void reclaim_dead_owners(results::Store& store, const std::vector<results::CellState>& states) {
  const std::string host = runtime::host_name() + ":";
  for (const auto& s : states) {
    if (s.status != results::CellStatus::Running || s.owner.rfind(host, 0) != 0) continue;
    const pid_t pid = static_cast<pid_t>(std::atol(s.owner.c_str() + host.size()));
    if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) {
      spdlog::warn("cell {} was left running by dead process {}; reclaiming it", s.id, s.owner);
      store.release_cell(s.id, s.owner);
    }
  }
}

// --jobs N: N worker processes share the cores and claim cells from the database, exactly as
// independent `hecto run` processes would.
// The environment of worker j: on a GPU machine it sees one GPU (round robin), as cuda:0.
std::vector<std::string> worker_environment(const runtime::DeviceChoice& device, int j) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (std::string(*e).rfind("CUDA_VISIBLE_DEVICES=", 0) != 0 || !device.is_cuda()) env.emplace_back(*e);
  if (device.is_cuda()) env.push_back("CUDA_VISIBLE_DEVICES=" + std::to_string(j % runtime::cuda_device_count()));
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& words) {
  std::vector<char*> out;
  for (auto& w : words) out.push_back(w.data());
  out.push_back(nullptr);
  return out;
}

int run_workers(const RunOptions& o, int jobs, const runtime::DeviceChoice& device) {
  const int threads = std::max(1, runtime::resolve_threads(o.threads) / jobs);
  spdlog::info("starting {} workers with {} torch thread(s) each", jobs, threads);
  auto args = worker_arguments(o, threads, device.is_cuda() ? "cuda:0" : "cpu");
  auto cargv = c_strings(args);
  // Installed before the first spawn so no signal is lost; the workers reset it when they exec.
  const common::ForwardingScope forwarding;
  std::vector<pid_t> pids;
  for (int j = 0; j < jobs; ++j) {
    auto env = worker_environment(device, j);
    auto cenv = c_strings(env);
    pid_t pid;
    if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, cargv.data(), cenv.data()) != 0)
      throw common::RunError("cannot start worker process");
    pids.push_back(pid);
    // Stagger starts so workers do not race for the same first cells' caches.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  // Poll rather than block in waitpid, so a signal to this process reaches the workers at once.
  int worst = 0, signal = 0;
  while (!pids.empty()) {
    signal = common::forward_signals(pids);
    for (auto it = pids.begin(); it != pids.end();) {
      int status = 0;
      const pid_t r = waitpid(*it, &status, WNOHANG);
      if (r == 0 || (r < 0 && errno == EINTR)) {
        ++it;
        continue;
      }
      if (r == *it) worst = std::max(worst, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
      it = pids.erase(it);  // reaped (or not ours any more): never signal that pid again
    }
    if (!pids.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // A worker the signal reached before it set up its handlers died of it (128 + signal) having
  // claimed nothing; the run as a whole was interrupted, like a single process.
  return signal != 0 ? 130 : worst;
}

// A database that cannot take a result (disk full, I/O error) is not a failure of the cell: the
// cell goes back to pending, not to failed, and the run stops instead of computing results it
// cannot keep. The transaction rolled back, so every result stored before stays intact.
void store_result(results::Store& store, const results::CellResult& r, const std::string& owner,
                  ProgressPrinter& printer) {
  try {
    store.finish_cell(r);
  } catch (const std::exception& e) {
    printer.clear();
    try {
      store.release_cell(r.cell_id, owner);
    } catch (const std::exception&) {
      // Left running: the next run on this host reclaims it (its process is gone).
    }
    throw common::RunError(std::string(e.what()) +
                           "; results stored before are intact, run the same command again "
                           "once the database can be written");
  }
}

train::TrainEnvironment train_environment(const RunOptions& o, const runtime::DeviceChoice& device) {
  train::TrainEnvironment env;
  env.device = device;
  env.data_dir = tasks::resolve_data_dir(o.data_dir);
  env.token_cache_dir = o.no_cache ? "" : (fs::path(o.cache_dir) / "tokens").string();
  env.feature_cache_dir = o.no_cache ? "" : (fs::path(o.cache_dir) / "features").string();
  env.artifact_dir = o.artifact_dir;
  return env;
}

// Renews the cell's lease every tenth of its length while the cell trains.
std::function<void()> lease_renewer(results::Store& store, const std::string& id, const std::string& owner,
                                    int lease_seconds) {
  auto last_renew = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
  return [&store, id, owner, lease_seconds, last_renew] {
    const auto now = std::chrono::steady_clock::now();
    if (now - *last_renew > std::chrono::seconds(std::max(5, lease_seconds / 10))) {
      store.renew_lease(id, owner, lease_seconds);
      *last_renew = now;
    }
  };
}

results::CellResult train_cell(const Cell& cell, const train::TrainEnvironment& env) {
  const std::string started = results::utc_iso8601_now();
  results::CellResult r = floors::is_floor(cell.config.model.kind) ? floors::train_and_evaluate(cell.config, env.data_dir)
                                                                    : train::train_and_evaluate(cell.config, env);
  r.cell_id = cell.id;
  runtime::fill_process_provenance(r.provenance);
  r.provenance.started_at = started;
  r.provenance.finished_at = results::utc_iso8601_now();
  return r;
}

int interrupted_exit(const RunOptions& o, const std::string& cell_id, int signal, int done, int total) {
  std::cerr << "hecto run: interrupted (signal " << signal << "); cell " << cell_id << " was put back to pending. "
            << done << "/" << total << " cells are done.\n"
            << "Resume with the same command: hecto run " << o.experiment_file << " --db " << o.db_path << "\n";
  return 130;
}

// One process, one cell at a time: claim, train, store.
int run_cells(const RunOptions& o, const Plan& plan, const std::vector<Cell>& cells,
              const runtime::DeviceChoice& device) {
  auto store = results::Store::open(o.db_path);
  register_plan(store, o, plan);
  const auto states = store.cell_states(cell_ids(cells));
  reclaim_dead_owners(store, states);
  int done = 0, failed = 0, ran = 0;
  for (const auto& s : states) done += s.status == results::CellStatus::Done;
  const int total = static_cast<int>(cells.size());
  spdlog::info("{}: {} cells, {} already done, database {}, on {}", plan.experiment, total, done, o.db_path,
               device.describe());

  const common::InterruptScope interrupts("stopping after the current step");
  const std::string owner = owner_id();
  train::TrainEnvironment env = train_environment(o, device);
  ProgressPrinter printer(common::stderr_is_terminal());
  for (const auto& cell : cells) {
    if (common::interrupt_requested()) break;
    if (!store.claim_cell(cell.id, owner, o.lease_seconds, o.retry_failed)) continue;
    ++ran;
    const std::string label = describe_cell(cell);
    printer.start_cell(label, done + failed + 1, total);
    env.on_progress = [&](const train::Progress& p) { printer.update(p); };
    env.on_heartbeat = lease_renewer(store, cell.id, owner, o.lease_seconds);
    env.cell_id = cell.id;
    results::CellResult r;
    try {
      r = train_cell(cell, env);
    } catch (const common::Interrupted& e) {
      store.release_cell(cell.id, owner);
      printer.clear();
      return interrupted_exit(o, cell.id, e.signal, done, total);
    } catch (const std::exception& e) {
      const std::string why = runtime::one_line(e);
      store.fail_cell(cell.id, why);
      ++failed;
      printer.clear();
      spdlog::error("cell {} ({}) failed: {}", cell.id, label, why);
      continue;
    }
    store_result(store, r, owner, printer);
    ++done;
    printer.finish_cell(label, r);
  }
  if (common::interrupt_requested()) {
    std::cerr << "hecto run: interrupted; resume with the same command.\n";
    return 130;
  }
  spdlog::info("{}: {} ran now, {} done of {}, {} failed{}", plan.experiment, ran, done, total, failed,
               failed ? " (rerun with --retry-failed)" : "");
  return failed ? 1 : 0;
}

struct CellCounts {
  int done = 0, failed = 0, total = 0;
};

CellCounts count_cells(const results::Store& store, const std::vector<Cell>& cells) {
  CellCounts counts;
  counts.total = static_cast<int>(cells.size());
  for (const auto& s : store.cell_states(cell_ids(cells))) {
    counts.done += s.status == results::CellStatus::Done;
    counts.failed += s.status == results::CellStatus::Failed;
  }
  return counts;
}

// Each worker's own summary counts only the cells it ran; this line is the run's.
void log_workers_summary(const Plan& plan, int jobs, const CellCounts& before, const CellCounts& after) {
  spdlog::info("{}: {} ran now in {} workers, {} done of {}, {} failed{}", plan.experiment, after.done - before.done,
               jobs, after.done, after.total, after.failed, after.failed ? " (rerun with --retry-failed)" : "");
}

}  // namespace

int run_experiment(const RunOptions& o) {
  const Plan plan = load_run_plan(o);
  const std::vector<Cell> cells = cells_of_this_shard(o, plan);
  const auto device = runtime::resolve_device(o.device);
  const int jobs = resolve_jobs(o, plan, device);
  if (jobs == 1) return run_cells(o, plan, cells, device);
  // Registered once up front so the workers agree on what exists.
  auto store = results::Store::open(o.db_path);
  register_plan(store, o, plan);
  const CellCounts before = count_cells(store, cells);
  const int rc = run_workers(o, jobs, device);
  if (rc != 130) log_workers_summary(plan, jobs, before, count_cells(store, cells));
  return rc;
}

}  // namespace hecto::runner
