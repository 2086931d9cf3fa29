//! A kubectl console over the simulated cluster: parses the commands a learner practises (the
//! seed's §14 and their neighbours), prints what kubectl prints, and turns the commands that
//! change the cluster into scenario events (the app appends them to the timeline and replays).
//!
//! Output follows kubectl's columns and words; where the simulation has no data (pod IPs), it
//! prints kubectl's `<none>`.

// Helpers return `Result<_, Outcome>` so a bad flag or name ends the command with kubectl's
// error at once; an Outcome is built once per typed command, so its size does not matter.
#![allow(clippy::result_large_err)]

mod command_line;
mod describe;
mod get;
pub mod words;

use command_line::{error, parse_flags, Flags, NAMESPACE};
pub use command_line::{tokenize, Outcome};

use crate::cluster::ClusterView;
use crate::simulate::{Action, Cascade, TemplateChange};
use k8s_openapi::api::core::v1::Taint;

/// Runs one console line against the cluster as it is now.
pub fn execute(line: &str, view: &ClusterView) -> Outcome {
    let words = match tokenize(line) {
        Ok(w) => w,
        Err(e) => return error(format!("error: {e}"), None),
    };
    let mut words: &[String] = &words;
    if words.first().map(String::as_str) == Some("kubectl") {
        words = &words[1..];
    }
    let Some((verb, rest)) = words.split_first() else {
        return error(
            "error: no command given",
            Some("try: kubectl get pods -A -o wide"),
        );
    };
    match verb.as_str() {
        "get" => get::run(rest, view),
        "describe" => describe::run(rest, view),
        "set" => set_image(rest, view),
        "rollout" => rollout(rest, view),
        "delete" => delete(rest, view),
        "cordon" | "uncordon" => cordon(verb, rest, view),
        "drain" => drain(rest, view),
        "taint" => taint(rest, view),
        "label" => label(rest, view),
        "help" | "--help" | "-h" => Outcome::Output(words::HELP.into()),
        other => error(
            format!("error: unknown command \"{other}\" for \"kubectl\""),
            Some(&format!(
                "{}commands here: get, describe, set image, rollout, delete, cordon, uncordon, drain, taint, label",
                words::did_you_mean(other, words::VERBS).map(|s| format!("did you mean \"{s}\"? ")).unwrap_or_default()
            )),
        ),
    }
}

fn node_exists(view: &ClusterView, name: &str) -> Result<(), Outcome> {
    if view.nodes.iter().any(|n| n.name == name) {
        Ok(())
    } else {
        Err(error(
            format!("Error from server (NotFound): nodes \"{name}\" not found"),
            Some("kubectl get nodes lists them"),
        ))
    }
}

/// `daemonset/NAME`, `ds/NAME`, `daemonsets NAME`: the DaemonSet it names, in the namespace.
fn daemonset_ref<'v>(
    args: &[String],
    view: &'v ClusterView,
    ns: Option<&str>,
) -> Result<&'v crate::cluster::view::DaemonSetView, Outcome> {
    let name = match args {
        [one] => match one.split_once('/') {
            Some((kind, name)) if words::is_daemonset(kind) => name.to_string(),
            Some((kind, _)) => {
                return Err(error(
                    format!("error: this console works on daemonsets, not \"{kind}\""),
                    None,
                ))
            }
            None => {
                return Err(error(
                    "error: expected daemonset/NAME",
                    Some("e.g. daemonset/kube-proxy"),
                ))
            }
        },
        [kind, name] if words::is_daemonset(kind) => name.clone(),
        _ => {
            return Err(error(
                "error: expected daemonset/NAME",
                Some("e.g. daemonset/kube-proxy -n kube-system"),
            ))
        }
    };
    let ns = ns.unwrap_or("default");
    view.daemonsets
        .iter()
        .find(|d| d.name == name && d.namespace == ns && !d.deleted)
        .ok_or_else(|| {
            let hint = view
                .daemonsets
                .iter()
                .find(|d| d.name == name && !d.deleted)
                .map(|d| format!("it is in namespace {}: add -n {}", d.namespace, d.namespace));
            error(
                format!("Error from server (NotFound): daemonsets.apps \"{name}\" not found"),
                hint.as_deref(),
            )
        })
}

fn set_image(rest: &[String], view: &ClusterView) -> Outcome {
    let f = match parse_flags(rest, &[NAMESPACE]) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let [what, target, pairs @ ..] = f.args.as_slice() else {
        return error("error: expected: set image daemonset/NAME CONTAINER=IMAGE", None);
    };
    if what != "image" {
        return error(
            format!("error: unknown command \"{what}\" for \"kubectl set\""),
            Some("kubectl set image daemonset/NAME CONTAINER=IMAGE"),
        );
    }
    let ds = match daemonset_ref(std::slice::from_ref(target), view, f.get("--namespace")) {
        Ok(d) => d,
        Err(e) => return e,
    };
    let [pair] = pairs else {
        return error("error: expected one CONTAINER=IMAGE", None);
    };
    let Some((container, image)) = pair
        .split_once('=')
        .filter(|(c, i)| !c.is_empty() && !i.is_empty())
    else {
        return error(
            format!("error: invalid argument {pair:?}: expected CONTAINER=IMAGE"),
            None,
        );
    };
    if !ds.containers.iter().any(|(c, _)| c == container) {
        return error(
            format!("error: unable to find container named \"{container}\""),
            Some(&format!(
                "containers: {}",
                ds.containers
                    .iter()
                    .map(|(c, _)| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
    Outcome::Change {
        action: Action::UpdateTemplate {
            change: TemplateChange::Image {
                image: image.into(),
                container: Some(container.into()),
            },
            outcome: Default::default(),
        },
        daemonset: Some(ds.name.clone()),
        output: format!("daemonset.apps/{} image updated", ds.name),
    }
}

fn rollout(rest: &[String], view: &ClusterView) -> Outcome {
    let f = match parse_flags(
        rest,
        &[
            NAMESPACE,
            (&["--to-revision"], true),
            (&["--revision"], true),
            (&["--watch", "-w"], true),
        ],
    ) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let Some((sub, target)) = f.args.split_first() else {
        return error(
            "error: expected: rollout status|history|undo daemonset/NAME",
            None,
        );
    };
    let ds = match daemonset_ref(target, view, f.get("--namespace")) {
        Ok(d) => d,
        Err(e) => return e,
    };
    match sub.as_str() {
        "status" => Outcome::Output(get::rollout_status(ds, view)),
        "history" => Outcome::Output(get::rollout_history(ds, f.get("--revision"))),
        "undo" => {
            let to = match f.get("--to-revision").map(str::parse::<i64>) {
                None => None,
                Some(Ok(n)) if n >= 0 => Some(n),
                Some(_) => return error("error: --to-revision must be a revision number", None),
            };
            if let Some(n) = to.filter(|n| *n > 0) {
                if !ds.history.iter().any(|(r, _, _)| *r == n) {
                    return error(
                        format!("error: unable to find specified revision {n} in history"),
                        Some("kubectl rollout history lists them"),
                    );
                }
            }
            Outcome::Change {
                action: Action::RolloutUndo { to_revision: to },
                daemonset: Some(ds.name.clone()),
                output: format!("daemonset.apps/{} rolled back", ds.name),
            }
        }
        other => error(
            format!("error: unknown command \"{other}\" for \"kubectl rollout\""),
            Some("rollout status, rollout history, rollout undo"),
        ),
    }
}

fn delete(rest: &[String], view: &ClusterView) -> Outcome {
    let f = match parse_flags(
        rest,
        &[
            NAMESPACE,
            (&["--cascade"], true),
            (&["--force"], false),
            (&["--grace-period"], true),
        ],
    ) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let ns = f.get("--namespace").unwrap_or("default");
    let (kind, name) = match f.args.as_slice() {
        [one] => match one.split_once('/') {
            Some((k, n)) => (k.to_string(), n.to_string()),
            None => {
                return error(
                    "error: expected a resource and a name",
                    Some("kubectl delete pod NAME, kubectl delete daemonset NAME"),
                )
            }
        },
        [k, n] => (k.clone(), n.clone()),
        _ => {
            return error(
                "error: expected a resource and a name",
                Some("kubectl delete pod NAME, kubectl delete daemonset NAME"),
            )
        }
    };
    if words::is_daemonset(&kind) {
        let ds = match daemonset_ref(&[kind.clone(), name.clone()], view, Some(ns)) {
            Ok(d) => d,
            Err(e) => return e,
        };
        let cascade = match f.get("--cascade").unwrap_or("background") {
            "background" | "true" => Cascade::Background,
            "orphan" | "false" => Cascade::Orphan,
            "foreground" => {
                return error(
                    "error: --cascade=foreground is not simulated here",
                    Some("use background (the default) or orphan"),
                )
            }
            other => {
                return error(
                    format!(
                        "error: invalid --cascade value {other:?}: must be background, orphan or foreground"
                    ),
                    None,
                )
            }
        };
        return Outcome::Change {
            action: Action::DeleteDaemonSet { cascade },
            daemonset: Some(ds.name.clone()),
            output: format!("daemonset.apps \"{}\" deleted", ds.name),
        };
    }
    if words::is_pod(&kind) {
        let Some(pod) = view.pods.iter().find(|p| p.name == name && p.namespace == ns) else {
            let hint = view
                .pods
                .iter()
                .find(|p| p.name == name)
                .map(|p| format!("it is in namespace {}: add -n {}", p.namespace, p.namespace));
            return error(
                format!("Error from server (NotFound): pods \"{name}\" not found"),
                hint.as_deref(),
            );
        };
        let (Some(owner), Some(node)) = (&pod.owner, &pod.node) else {
            return error(
                format!(
                    "error: pod {name} belongs to no DaemonSet; this console deletes DaemonSet pods only"
                ),
                None,
            );
        };
        return Outcome::Change {
            action: Action::DeletePod(node.to_string()),
            daemonset: Some(owner.to_string()),
            output: format!("pod \"{name}\" deleted"),
        };
    }
    error(
        format!("error: the server doesn't have a resource type \"{kind}\" here"),
        Some("delete pod NAME or delete daemonset NAME"),
    )
}

fn cordon(verb: &str, rest: &[String], view: &ClusterView) -> Outcome {
    let f = match parse_flags(rest, &[]) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let [node] = f.args.as_slice() else {
        return error(format!("error: USAGE: {verb} NODE"), None);
    };
    if let Err(e) = node_exists(view, node) {
        return e;
    }
    let on = verb == "cordon";
    let already = view
        .nodes
        .iter()
        .any(|n| n.name == *node && n.unschedulable == on);
    Outcome::Change {
        action: if on {
            Action::Cordon(node.clone())
        } else {
            Action::Uncordon(node.clone())
        },
        daemonset: None,
        output: if already {
            format!("node/{node} already {verb}ed")
        } else {
            format!("node/{node} {verb}ed")
        },
    }
}

fn drain(rest: &[String], view: &ClusterView) -> Outcome {
    let f = match parse_flags(
        rest,
        &[
            (&["--ignore-daemonsets"], false),
            (&["--force"], false),
            (&["--delete-emptydir-data"], false),
        ],
    ) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let [node] = f.args.as_slice() else {
        return error("error: USAGE: drain NODE --ignore-daemonsets", None);
    };
    if let Err(e) = node_exists(view, node) {
        return e;
    }
    let ds_pods: Vec<String> = view
        .pods
        .iter()
        .filter(|p| p.node.as_deref() == Some(node) && p.owner.is_some() && p.phase != "Terminating")
        .map(|p| format!("{}/{}", p.namespace, p.name))
        .collect();
    if !f.has("--ignore-daemonsets") && !ds_pods.is_empty() {
        return error(
            format!("node/{node} cordoned\nerror: unable to drain node \"{node}\" due to error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {}", ds_pods.join(", ")),
            Some("drain never evicts DaemonSet pods: add --ignore-daemonsets (they keep running on the cordoned node)"),
        );
    }
    Outcome::Change {
        action: Action::Drain {
            node: node.clone(),
            force: f.has("--force"),
        },
        daemonset: None,
        output: format!(
            "node/{node} cordoned\nWarning: ignoring DaemonSet-managed Pods: {}\nnode/{node} drained",
            if ds_pods.is_empty() {
                "<none>".into()
            } else {
                ds_pods.join(", ")
            }
        ),
    }
}

fn nodes_target(f: &Flags, view: &ClusterView, verb: &str) -> Result<(String, Vec<String>), Outcome> {
    let (kind, node, specs) = match f.args.as_slice() {
        [kind, node, specs @ ..] => (kind, node, specs),
        _ => return Err(error(format!("error: USAGE: {verb} nodes NODE ..."), None)),
    };
    if !matches!(kind.as_str(), "node" | "nodes" | "no") {
        return Err(error(
            format!("error: this console can {verb} nodes only, not \"{kind}\""),
            None,
        ));
    }
    node_exists(view, node)?;
    if specs.is_empty() {
        return Err(error(
            format!("error: at least one {verb} update is required"),
            None,
        ));
    }
    Ok((node.clone(), specs.to_vec()))
}

fn taint(rest: &[String], view: &ClusterView) -> Outcome {
    let f = match parse_flags(rest, &[(&["--overwrite"], false)]) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let (node, specs) = match nodes_target(&f, view, "taint") {
        Ok(x) => x,
        Err(e) => return e,
    };
    let [spec] = specs.as_slice() else {
        return error("error: this console applies one taint per command", None);
    };
    if let Some(removal) = spec.strip_suffix('-') {
        let (key, effect) = match removal.split_once(':') {
            Some((k, e)) => (k.to_string(), Some(e.to_string())),
            None => (removal.to_string(), None),
        };
        let key = key.split('=').next().unwrap_or_default().to_string();
        let present = view.nodes.iter().find(|n| n.name == node).is_some_and(|n| {
            n.taints
                .iter()
                .any(|t| t.starts_with(&format!("{key}=")) || t.starts_with(&format!("{key}:")))
        });
        if !present {
            return error(format!("error: taint \"{removal}\" not found"), None);
        }
        return Outcome::Change {
            action: Action::Untaint {
                node: node.clone(),
                key,
                effect,
            },
            daemonset: None,
            output: format!("node/{node} untainted"),
        };
    }
    let Some((kv, effect)) = spec.rsplit_once(':') else {
        return error(
            format!("error: invalid taint spec: {spec}"),
            Some("key=value:Effect, e.g. dedicated=db:NoSchedule"),
        );
    };
    if !crate::api::validation::TAINT_EFFECTS.contains(&effect) {
        return error(
            format!("error: invalid taint effect: {effect}, unsupported taint effect"),
            Some("NoSchedule, PreferNoSchedule or NoExecute"),
        );
    }
    let (key, value) = match kv.split_once('=') {
        Some((k, v)) => (k, Some(v.to_string()).filter(|v| !v.is_empty())),
        None => (kv, None),
    };
    if let Some(e) = crate::api::labels::label_key_error(key)
        .or_else(|| value.as_deref().and_then(crate::api::labels::label_value_error))
    {
        return error(format!("error: invalid taint spec: {spec}: {e}"), None);
    }
    Outcome::Change {
        action: Action::Taint {
            node: node.clone(),
            taint: Taint {
                key: key.into(),
                value,
                effect: effect.into(),
                time_added: None,
            },
        },
        daemonset: None,
        output: format!("node/{node} tainted"),
    }
}

fn label(rest: &[String], view: &ClusterView) -> Outcome {
    let f = match parse_flags(rest, &[(&["--overwrite"], false)]) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let (node, specs) = match nodes_target(&f, view, "label") {
        Ok(x) => x,
        Err(e) => return e,
    };
    let [spec] = specs.as_slice() else {
        return error("error: this console applies one label per command", None);
    };
    if let Some(key) = spec.strip_suffix('-') {
        return Outcome::Change {
            action: Action::Unlabel {
                node: node.clone(),
                key: key.into(),
            },
            daemonset: None,
            output: format!("node/{node} unlabeled"),
        };
    }
    let Some((k, v)) = spec.split_once('=') else {
        return error(
            format!("error: invalid label spec: {spec}"),
            Some("key=value to set, key- to remove"),
        );
    };
    if let Some(e) =
        crate::api::labels::label_key_error(k).or_else(|| crate::api::labels::label_value_error(v))
    {
        return error(format!("error: invalid label spec: {spec}: {e}"), None);
    }
    let exists = view
        .nodes
        .iter()
        .find(|n| n.name == node)
        .and_then(|n| n.labels.iter().find(|(lk, _)| lk == k).map(|(_, lv)| lv.clone()));
    if let Some(old) = exists.filter(|old| old != v) {
        if !f.has("--overwrite") {
            return error(
                format!("error: 'node/{node}' already has a value ({old}), and --overwrite is false"),
                Some("add --overwrite"),
            );
        }
    }
    Outcome::Change {
        action: Action::Label {
            node: node.clone(),
            labels: [(k.to_string(), v.to_string())].into(),
        },
        daemonset: None,
        output: format!("node/{node} labeled"),
    }
}

/// Completions for the last word of `line`: verbs, resource kinds, node, pod and DaemonSet names.
pub fn complete(line: &str, view: &ClusterView) -> Vec<String> {
    let words_so_far: Vec<&str> = line.split_whitespace().collect();
    let ends_with_space = line.ends_with(' ');
    let (done, partial): (Vec<&str>, &str) = if ends_with_space || words_so_far.is_empty() {
        (words_so_far.clone(), "")
    } else {
        (
            words_so_far[..words_so_far.len() - 1].to_vec(),
            words_so_far[words_so_far.len() - 1],
        )
    };
    let done: Vec<&str> = done.into_iter().filter(|w| *w != "kubectl").collect();
    let nodes = || view.nodes.iter().map(|n| n.name.to_string()).collect::<Vec<_>>();
    let pods = || view.pods.iter().map(|p| p.name.to_string()).collect::<Vec<_>>();
    let dss = || {
        view.daemonsets
            .iter()
            .filter(|d| !d.deleted)
            .map(|d| format!("daemonset/{}", d.name))
            .collect::<Vec<_>>()
    };
    let candidates: Vec<String> = match done.as_slice() {
        [] => words::VERBS.iter().map(|s| s.to_string()).collect(),
        ["get"] => ["daemonsets", "pods", "nodes"].map(String::from).to_vec(),
        ["describe"] => ["daemonset", "pod", "node"].map(String::from).to_vec(),
        ["describe", k, ..] if words::is_pod(k) => pods(),
        ["describe", k, ..] if matches!(*k, "node" | "nodes" | "no") => nodes(),
        ["describe", k, ..] if words::is_daemonset(k) => {
            view.daemonsets.iter().map(|d| d.name.clone()).collect()
        }
        ["cordon" | "uncordon" | "drain", ..] => nodes(),
        ["taint" | "label"] => vec!["nodes".into()],
        ["taint" | "label", _, ..] => nodes(),
        ["rollout"] => ["status", "history", "undo"].map(String::from).to_vec(),
        ["rollout", _, ..] | ["set", "image", ..] => dss(),
        ["set"] => vec!["image".into()],
        ["delete"] => ["pod", "daemonset"].map(String::from).to_vec(),
        ["delete", k, ..] if words::is_pod(k) => pods(),
        ["delete", k, ..] if words::is_daemonset(k) => {
            view.daemonsets.iter().map(|d| d.name.clone()).collect()
        }
        _ => Vec::new(),
    };
    let mut out: Vec<String> = candidates
        .into_iter()
        .filter(|c| c.starts_with(partial))
        .collect();
    crate::sort::sort(&mut out);
    out.dedup();
    out
}

#[cfg(test)]
mod tests;
