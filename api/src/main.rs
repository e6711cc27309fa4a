//! `jianan`: the Jian'an server and its administration commands.
use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let cli = jianan_api::cli::Cli::parse();
    match jianan_api::cli::run(cli).await {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("错误: {e}");
            std::process::exit(2);
        }
    }
}
