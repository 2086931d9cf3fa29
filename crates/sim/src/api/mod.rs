//! Reading Kubernetes YAML as users really have it: one document, several documents separated by
//! `---`, or a `List` / `NodeList` as `kubectl get -o yaml` prints it, with `status`,
//! `managedFields` and unknown fields present (kept by k8s-openapi where modelled, ignored otherwise;
//! managedFields are dropped once read: nothing here uses them, and they are half of a dump).
//!
//! Every failure is an [`InputError`] naming the file, document, line, column and field path.

mod daemonset_spec;
pub mod error;
mod error_path;
pub mod guard;
pub mod labels;
pub mod list_items;
mod locate;
pub mod manifests;
mod parse;
pub mod quantity;
pub mod read;
pub mod update_strategy;
pub mod validation;

pub use daemonset_spec::SpecOf;
pub use error::{FieldPath, InputError, Problem, Seg};
pub use manifests::{daemonset_key, pick_daemonset, Manifests, Skipped};
pub use parse::{none_of, parse_daemonset, parse_daemonsets, parse_manifests, parse_nodes, parse_pods};
pub(crate) use read::{describe, locate_line, read_one};
pub use read::{ItemOrigin, Kind, Located, Source, MAX_INPUT_BYTES};
