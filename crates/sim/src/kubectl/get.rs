//! `kubectl get` and `kubectl rollout status|history`.

use super::command_line::{error, parse_flags, Outcome, ALL_NS, NAMESPACE};
use super::words::{age, get_ds_row, is_daemonset, is_node, is_pod, table, GET_DS_COLUMNS};
use crate::api::labels::selector_matches;
use crate::cluster::view::{DaemonSetView, PodView};
use crate::cluster::ClusterView;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};

pub fn run(rest: &[String], view: &ClusterView) -> Outcome {
    let f = match parse_flags(
        rest,
        &[
            NAMESPACE,
            ALL_NS,
            (&["--output", "-o"], true),
            (&["--selector", "-l"], true),
        ],
    ) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let Some(kind) = f.args.first() else {
        return error(
            "error: You must specify the type of resource to get.",
            Some("kubectl get daemonsets|pods|nodes"),
        );
    };
    let wide = match f.get("--output") {
        None => false,
        Some("wide") => true,
        Some(o) => {
            return error(
                format!("error: unable to match a printer suitable for the output format \"{o}\""),
                Some("this console prints the default table or -o wide"),
            )
        }
    };
    let all = f.has("--all-namespaces");
    let ns = f.get("--namespace").unwrap_or("default");
    let selector = match f.get("--selector").map(parse_selector) {
        None => None,
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => {
            return error(
                format!("error: unable to parse requirement: {e}"),
                Some("e.g. -l k8s-app=kube-proxy"),
            )
        }
    };
    let name = f.args.get(1);
    if is_daemonset(kind) {
        let items: Vec<&DaemonSetView> = view
            .daemonsets
            .iter()
            .filter(|d| !d.deleted && (all || d.namespace == ns) && name.is_none_or(|n| &d.name == n))
            .collect();
        if items.is_empty() {
            return not_found(name, "daemonsets.apps", all, ns);
        }
        let mut rows = vec![header(all, &GET_DS_COLUMNS)];
        if wide {
            rows[0].extend(["CONTAINERS", "IMAGES", "SELECTOR"].map(String::from));
        }
        for d in items {
            let mut r = Vec::new();
            if all {
                r.push(d.namespace.clone());
            }
            r.extend(get_ds_row(d, &d.status, view.time));
            if wide {
                r.push(
                    d.containers
                        .iter()
                        .map(|c| c.0.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                );
                r.push(
                    d.containers
                        .iter()
                        .map(|c| c.1.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                );
                r.push(d.selector.clone());
            }
            rows.push(r);
        }
        return Outcome::Output(table(&rows));
    }
    if is_pod(kind) {
        let items: Vec<&PodView> = view
            .pods
            .iter()
            .filter(|p| (all || p.namespace == ns) && name.is_none_or(|n| p.name == *n))
            .filter(|p| {
                selector
                    .as_ref()
                    .is_none_or(|s| selector_matches(s, &pod_labels(p, view)))
            })
            .collect();
        if items.is_empty() {
            return not_found(name, "pods", all, ns);
        }
        let mut rows = vec![header(all, &["NAME", "READY", "STATUS", "RESTARTS", "AGE"])];
        if wide {
            rows[0].extend(["IP", "NODE", "NOMINATED NODE", "READINESS GATES"].map(String::from));
        }
        for p in items {
            let mut r = Vec::new();
            if all {
                r.push(p.namespace.to_string());
            }
            r.extend([
                p.name.to_string(),
                p.ready_text(),
                p.phase.to_string(),
                p.restarts.to_string(),
                age(view.time.saturating_sub(p.created)),
            ]);
            if wide {
                r.push("<none>".into());
                r.push(if p.bound {
                    p.node.as_deref().unwrap_or("<none>").to_string()
                } else {
                    "<none>".into()
                });
                r.push("<none>".into());
                r.push("<none>".into());
            }
            rows.push(r);
        }
        return Outcome::Output(table(&rows));
    }
    if is_node(kind) {
        let items: Vec<_> = view
            .nodes
            .iter()
            .filter(|n| name.is_none_or(|x| n.name == *x))
            .collect();
        if items.is_empty() {
            return not_found(name, "nodes", true, ns);
        }
        let mut rows = vec![["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
            .map(String::from)
            .to_vec()];
        if wide {
            rows[0].extend(["TAINTS"].map(String::from));
        }
        for n in items {
            let mut status = if n.ready {
                "Ready".to_string()
            } else {
                "NotReady".to_string()
            };
            if n.unschedulable {
                status.push_str(",SchedulingDisabled");
            }
            let roles: Vec<&str> = n
                .labels
                .iter()
                .filter_map(|(k, _)| k.strip_prefix("node-role.kubernetes.io/"))
                .collect();
            let mut r = vec![
                n.name.to_string(),
                status,
                if roles.is_empty() {
                    "<none>".into()
                } else {
                    roles.join(",")
                },
                age(view.time.saturating_sub(n.joined)),
                if n.version.is_empty() {
                    "<unknown>".into()
                } else {
                    n.version.clone()
                },
            ];
            if wide {
                r.push(if n.taints.is_empty() {
                    "<none>".into()
                } else {
                    n.taints.join(",")
                });
            }
            rows.push(r);
        }
        return Outcome::Output(table(&rows));
    }
    error(
        format!("error: the server doesn't have a resource type \"{kind}\""),
        Some("this console knows daemonsets (ds), pods (po) and nodes (no)"),
    )
}

fn header(all: bool, cols: &[&str]) -> Vec<String> {
    let mut h = Vec::new();
    if all {
        h.push("NAMESPACE".to_string());
    }
    h.extend(cols.iter().map(|c| c.to_string()));
    h
}

fn not_found(name: Option<&String>, resource: &str, all: bool, ns: &str) -> Outcome {
    match name {
        Some(n) => error(
            format!("Error from server (NotFound): {resource} \"{n}\" not found"),
            Some("add -n NAMESPACE or use -A to look everywhere"),
        ),
        None if all => Outcome::Output("No resources found\n".into()),
        None => Outcome::Output(format!("No resources found in {ns} namespace.\n")),
    }
}

/// A pod's labels: its DaemonSet's template labels (the simulation's pods carry those).
fn pod_labels(p: &PodView, view: &ClusterView) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    if let Some(d) = p
        .owner
        .as_ref()
        .and_then(|o| view.daemonsets.iter().find(|d| &d.name == o))
    {
        for pair in d.template_labels.split(',') {
            if let Some((k, v)) = pair.split_once('=') {
                out.insert(k.to_string(), v.to_string());
            }
        }
    }
    if let Some(h) = &p.hash {
        out.insert("controller-revision-hash".into(), h.to_string());
    }
    out
}

/// `-l k=v,k2!=v2,k3,!k4`.
pub fn parse_selector(s: &str) -> Result<LabelSelector, String> {
    let mut sel = LabelSelector::default();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let req = |key: &str, op: &str, values: Vec<String>| LabelSelectorRequirement {
            key: key.into(),
            operator: op.into(),
            values: Some(values),
        };
        if let Some((k, v)) = part.split_once("!=") {
            sel.match_expressions
                .get_or_insert_with(Vec::new)
                .push(req(k, "NotIn", vec![v.into()]));
        } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
            if k.is_empty() {
                return Err(format!("\"{part}\": a key is needed"));
            }
            sel.match_labels
                .get_or_insert_with(Default::default)
                .insert(k.into(), v.into());
        } else if let Some(k) = part.strip_prefix('!') {
            sel.match_expressions
                .get_or_insert_with(Vec::new)
                .push(req(k, "DoesNotExist", vec![]));
        } else {
            sel.match_expressions
                .get_or_insert_with(Vec::new)
                .push(req(part, "Exists", vec![]));
        }
    }
    Ok(sel)
}

/// `kubectl rollout status daemonset/NAME` (one snapshot, as if without --watch).
pub fn rollout_status(d: &DaemonSetView, _view: &ClusterView) -> String {
    if d.update_strategy == "OnDelete" {
        return "error: rollout status is only available for RollingUpdate strategy type\n".into();
    }
    let s = &d.status;
    if s.observed_generation < d.generation {
        return "Waiting for daemon set spec update to be observed...\n".to_string();
    }
    if s.updated_number_scheduled < s.desired_number_scheduled {
        return format!(
            "Waiting for daemon set \"{}\" rollout to finish: {} out of {} new pods have been updated...\n",
            d.name, s.updated_number_scheduled, s.desired_number_scheduled
        );
    }
    if s.number_available < s.desired_number_scheduled {
        return format!(
            "Waiting for daemon set \"{}\" rollout to finish: {} of {} updated pods are available...\n",
            d.name, s.number_available, s.desired_number_scheduled
        );
    }
    format!("daemon set \"{}\" successfully rolled out\n", d.name)
}

/// `kubectl rollout history daemonset/NAME [--revision=N]`.
pub fn rollout_history(d: &DaemonSetView, revision: Option<&str>) -> String {
    if let Some(r) = revision {
        let Some((n, hash, image)) = r
            .parse::<i64>()
            .ok()
            .and_then(|n| d.history.iter().find(|(x, _, _)| *x == n))
        else {
            return "error: unable to find the specified revision\n".to_string();
        };
        return format!(
            "daemonset.apps/{} with revision #{n}\nPod Template:\n  Labels:\t{},controller-revision-hash={hash}\n  Containers:\n   {}:\n    Image:\t{image}\n",
            d.name,
            d.template_labels,
            d.containers.first().map(|c| c.0.as_str()).unwrap_or_default()
        );
    }
    let mut rows = vec![vec!["REVISION".to_string(), "CHANGE-CAUSE".to_string()]];
    for (n, _, _) in &d.history {
        rows.push(vec![n.to_string(), "<none>".into()]);
    }
    format!("daemonset.apps/{}\n{}", d.name, table(&rows))
}
