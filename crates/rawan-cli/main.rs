//! The `rawan` binary: parses the command line and hands over to [`rawan_cli`].

/// jemalloc instead of the system allocator: a national run allocates and frees hundreds of
/// megabytes in large blocks (file contents, per-village columns, output text), and jemalloc
/// reuses them without returning them to the kernel in between.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read when it starts (`_RJEM_MALLOC_CONF` in the environment still
/// overrides them): freed memory is kept for reuse until the process ends rather than handed
/// back to the kernel and faulted in again (a run is a batch job; its peak is what it keeps);
/// blocks of 8 MB and more stay in the ordinary arena (`oversize_threshold:0`: jemalloc's
/// separate arena for them returns freed memory at once, so every large table was faulted
/// in afresh); one arena for all threads (`narenas:1`), so memory freed by one rayon worker
/// serves the next allocation of the other (threads still cache small blocks of their own).
/// Transparent huge pages (`thp:always`) were tried and cost more system time than they
/// saved. Measured in docs/performance.md.
#[cfg(not(target_env = "msvc"))]
#[used]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: ConfString =
    ConfString(c"dirty_decay_ms:-1,muzzy_decay_ms:-1,oversize_threshold:0,narenas:1".as_ptr());

/// A C string pointer, as jemalloc declares `malloc_conf` (`const char *`).
#[cfg(not(target_env = "msvc"))]
#[repr(transparent)]
struct ConfString(*const std::ffi::c_char);
// SAFETY: it points at a static, never-written byte string.
#[cfg(not(target_env = "msvc"))]
unsafe impl Sync for ConfString {}

fn main() {
    std::process::exit(rawan_cli::main_with_args(std::env::args_os()));
}
