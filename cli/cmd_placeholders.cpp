// Commands whose work later issues build. Each moves to its own cmd_<name>.cpp when it lands.
#include "cli/command.h"

namespace hecto::cli {

void add_tokenize_command(CommandContext ctx) { add_unavailable_command(ctx, "tokenize", "Tokenize text with BERT WordPiece"); }
void add_encode_command(CommandContext ctx) { add_unavailable_command(ctx, "encode", "Print an encoder's [CLS] vector"); }
void add_data_command(CommandContext ctx) { add_unavailable_command(ctx, "data", "Check and describe the datasets"); }
void add_plan_command(CommandContext ctx) { add_unavailable_command(ctx, "plan", "Expand an experiment file into cells"); }
void add_run_command(CommandContext ctx) { add_unavailable_command(ctx, "run", "Run the pending cells of an experiment file"); }
void add_status_command(CommandContext ctx) { add_unavailable_command(ctx, "status", "Show done/failed/pending cells"); }
void add_query_command(CommandContext ctx) { add_unavailable_command(ctx, "query", "Run read-only SQL on the results database"); }
void add_merge_command(CommandContext ctx) { add_unavailable_command(ctx, "merge", "Merge shard databases"); }
void add_slurm_command(CommandContext ctx) { add_unavailable_command(ctx, "slurm", "Write a Slurm job-array script"); }
void add_report_command(CommandContext ctx) { add_unavailable_command(ctx, "report", "Render the paper's tables and plots"); }
void add_bench_command(CommandContext ctx) { add_unavailable_command(ctx, "bench", "Run the benchmark suite"); }
void add_pretrain_command(CommandContext ctx) { add_unavailable_command(ctx, "pretrain", "Masked-LM pretraining of the encoder"); }

}  // namespace hecto::cli
