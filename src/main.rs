//! DaemonSet Lab: the web app (Leptos, client-side rendered).
//!
//! It renders what the simulation core (`dslab_sim`) computes and holds no scheduling rule of its
//! own. User text is only ever rendered as text nodes, never as HTML.

mod app;
mod audit;
mod cluster;
mod console;
mod examples;
mod highlight;
mod lessons;
mod markdown;
mod mode_switch;
mod model;
mod panic;
mod player;
mod playground;
mod pod_panel;
mod presentation;
mod progress;
mod replay;
mod route;
mod share;
mod spaced;
mod state;
mod stories;
mod worker;

fn main() {
    panic::install_hook();
    if worker::client::in_worker() {
        worker::client::serve();
        return;
    }
    panic::remove_boot_message();
    leptos::mount::mount_to_body(app::App);
    panic::self_test_from_url();
}
