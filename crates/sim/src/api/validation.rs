//! What the API server would reject, checked before anything is simulated, so that the simulation
//! never runs on an object a real cluster could not hold.
//!
//! Sources: `pkg/apis/apps/validation/validation.go` (`ValidateDaemonSetSpec`,
//! `ValidateRollingUpdateDaemonSet`), `pkg/apis/core/validation/validation.go` (`validateTolerations`,
//! `validateTaintEffect`, `ValidateNodeSelector`, `ValidateNodeSelectorRequirement`,
//! `ValidateNodeFieldSelectorRequirement`, `validateContainerPorts`, `ValidateResourceRequirements`).
//! Messages keep Kubernetes' wording where it helps, in the found/expected shape.

use crate::api::error::{FieldPath, Problem};
use crate::api::labels::{label_key_error, label_value_error, selector_is_empty, selector_matches};
use crate::api::quantity::milli_value;
use crate::api::SpecOf;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{
    Affinity, Container, Node, NodeSelectorRequirement, Pod, PodSpec, Taint, Toleration,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

pub const TAINT_EFFECTS: [&str; 3] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

type Problems = Vec<Problem>;

fn p(out: &mut Problems, path: FieldPath, msg: impl Into<String>) {
    out.push(Problem::new(path, msg));
}

/// Checks a DaemonSet as `ValidateDaemonSet` would, plus the template's pod spec.
pub fn daemonset(ds: &DaemonSet) -> Problems {
    let mut out = Problems::new();
    let root = FieldPath::root();
    metadata_name(&mut out, ds.metadata.name.as_deref(), &root, "DaemonSet");
    let spec = ds.spec();
    let sp = root.key("spec");
    let sel_path = sp.key("selector");
    label_selector(&mut out, &spec.selector, &sel_path);
    if selector_is_empty(&spec.selector) {
        p(
            &mut out,
            sel_path.clone(),
            "found an empty selector; expected matchLabels or matchExpressions (an empty selector would select every pod, and apps/v1 requires one)",
        );
    }
    let tp = sp.key("template");
    let template = &spec.template;
    let Some(pod_spec) = &template.spec else {
        p(
            &mut out,
            tp,
            "found no pod template spec; expected spec.template with metadata.labels and spec.containers",
        );
        return out;
    };
    let labels = template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    label_map(&mut out, &labels, &tp.key("metadata").key("labels"));
    if out.is_empty() && !selector_is_empty(&spec.selector) && !selector_matches(&spec.selector, &labels) {
        p(
            &mut out,
            tp.key("metadata").key("labels"),
            format!(
                "found labels {}; expected labels that spec.selector selects (`selector` does not match template `labels`)",
                crate::api::labels::format_map(Some(&labels))
            ),
        );
    }
    pod_spec_checks(&mut out, pod_spec, &tp.key("spec"), true);
    if let Some(m) = spec.min_ready_seconds {
        if m < 0 {
            p(
                &mut out,
                sp.key("minReadySeconds"),
                format!("found {m}; expected 0 or more"),
            );
        }
    }
    if let Some(r) = spec.revision_history_limit {
        if r < 0 {
            p(
                &mut out,
                sp.key("revisionHistoryLimit"),
                format!("found {r}; expected 0 or more"),
            );
        }
    }
    if let Some(us) = &spec.update_strategy {
        let up = sp.key("updateStrategy");
        let ty = us.type_.as_deref().unwrap_or("RollingUpdate");
        match ty {
            "RollingUpdate" => {
                let ru = us.rolling_update.clone().unwrap_or_default();
                let rp = up.key("rollingUpdate");
                // apps/v1 defaults: maxUnavailable 1, maxSurge 0 (SetDefaults_DaemonSet).
                let mu = ru.max_unavailable.unwrap_or(IntOrString::Int(1));
                let ms = ru.max_surge.unwrap_or(IntOrString::Int(0));
                let mu_zero = int_or_percent(&mut out, &mu, &rp.key("maxUnavailable"));
                let ms_zero = int_or_percent(&mut out, &ms, &rp.key("maxSurge"));
                if mu_zero == Some(true) && ms_zero == Some(true) {
                    p(&mut out, rp.key("maxUnavailable"), "found 0 with maxSurge 0; expected one of them to be non-zero (cannot be 0 when maxSurge is 0)");
                }
                if mu_zero == Some(false) && ms_zero == Some(false) {
                    p(&mut out, rp.key("maxSurge"), "found both maxSurge and maxUnavailable non-zero; expected maxUnavailable: 0 when maxSurge is set (maxUnavailable defaults to 1: write maxUnavailable: 0 explicitly)");
                }
            }
            "OnDelete" => {}
            other => p(
                &mut out,
                up.key("type"),
                format!("found {other:?}; expected RollingUpdate or OnDelete"),
            ),
        }
    }
    out
}

/// Returns Some(is_zero) for a valid value.
fn int_or_percent(out: &mut Problems, v: &IntOrString, path: &FieldPath) -> Option<bool> {
    match v {
        IntOrString::Int(i) if *i < 0 => {
            p(out, path.clone(), format!("found {i}; expected 0 or more"));
            None
        }
        IntOrString::Int(i) => Some(*i == 0),
        IntOrString::String(s) => match s.strip_suffix('%').and_then(|n| n.parse::<i32>().ok()) {
            Some(n) if (0..=100).contains(&n) => Some(n == 0),
            Some(n) => {
                p(
                    out,
                    path.clone(),
                    format!("found {n}%; expected a percentage from 0% to 100%"),
                );
                None
            }
            None => {
                p(
                    out,
                    path.clone(),
                    format!("found {s:?}; expected an integer or a percentage such as \"25%\""),
                );
                None
            }
        },
    }
}

fn metadata_name(out: &mut Problems, name: Option<&str>, root: &FieldPath, kind: &str) {
    match name {
        None | Some("") => p(
            out,
            root.key("metadata").key("name"),
            format!("found no name; expected metadata.name on every {kind}"),
        ),
        Some(n) if !crate::api::labels::is_dns_subdomain(n) => p(
            out,
            root.key("metadata").key("name"),
            format!("found {n:?}; expected a DNS subdomain name (lowercase letters, digits, '-' and '.')"),
        ),
        _ => {}
    }
}

fn label_map(out: &mut Problems, m: &BTreeMap<String, String>, path: &FieldPath) {
    for (k, v) in m {
        if let Some(e) = label_key_error(k) {
            p(out, path.key(k), e);
        } else if let Some(e) = label_value_error(v) {
            p(out, path.key(k), e);
        }
    }
}

fn label_selector(out: &mut Problems, sel: &LabelSelector, path: &FieldPath) {
    if let Some(ml) = &sel.match_labels {
        label_map(out, ml, &path.key("matchLabels"));
    }
    for (i, e) in sel.match_expressions.iter().flatten().enumerate() {
        let ep = path.key("matchExpressions").index(i);
        let n = e.values.as_ref().map_or(0, Vec::len);
        match e.operator.as_str() {
            "In" | "NotIn" if n == 0 => p(
                out,
                ep.key("values"),
                "found no values; expected at least one value for In and NotIn",
            ),
            "Exists" | "DoesNotExist" if n > 0 => p(
                out,
                ep.key("values"),
                "found values; expected none for Exists and DoesNotExist",
            ),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => p(
                out,
                ep.key("operator"),
                format!("found {other:?}; expected In, NotIn, Exists or DoesNotExist"),
            ),
        }
        if let Some(err) = label_key_error(&e.key) {
            p(out, ep.key("key"), err);
        }
    }
}

/// The parts of a pod spec the simulation reads, checked as the API server checks them.
pub fn pod_spec_checks(out: &mut Problems, spec: &PodSpec, path: &FieldPath, is_daemon_template: bool) {
    if spec.containers.is_empty() {
        p(
            out,
            path.key("containers"),
            "found no containers; expected at least one container",
        );
    }
    for (i, c) in spec.containers.iter().enumerate() {
        container(
            out,
            c,
            &path.key("containers").index(i),
            spec.host_network == Some(true),
        );
    }
    for (i, c) in spec.init_containers.iter().flatten().enumerate() {
        container(
            out,
            c,
            &path.key("initContainers").index(i),
            spec.host_network == Some(true),
        );
    }
    if is_daemon_template {
        if let Some(rp) = &spec.restart_policy {
            if rp != "Always" {
                p(
                    out,
                    path.key("restartPolicy"),
                    format!(
                        "found {rp:?}; expected Always (the only restart policy a DaemonSet template allows)"
                    ),
                );
            }
        }
        if spec.active_deadline_seconds.is_some() {
            p(
                out,
                path.key("activeDeadlineSeconds"),
                "found a value; expected none: activeDeadlineSeconds is forbidden in a DaemonSet template",
            );
        }
    }
    if let Some(ns) = &spec.node_selector {
        label_map(out, ns, &path.key("nodeSelector"));
    }
    for (i, t) in spec.tolerations.iter().flatten().enumerate() {
        toleration(out, t, &path.key("tolerations").index(i));
    }
    if let Some(a) = &spec.affinity {
        affinity(out, a, &path.key("affinity"));
    }
}

fn container(out: &mut Problems, c: &Container, path: &FieldPath, host_network: bool) {
    if c.name.is_empty() {
        p(out, path.key("name"), "found no name; expected a container name");
    }
    if c.image.as_deref().unwrap_or("").trim().is_empty() {
        p(
            out,
            path.key("image"),
            "found no image; expected a container image such as registry.k8s.io/kube-proxy:v1.31.0",
        );
    }
    for (i, port) in c.ports.iter().flatten().enumerate() {
        let pp = path.key("ports").index(i);
        if !(1..=65535).contains(&port.container_port) {
            p(
                out,
                pp.key("containerPort"),
                format!(
                    "found {}; expected a port number from 1 to 65535",
                    port.container_port
                ),
            );
        }
        if let Some(h) = port.host_port {
            if !(0..=65535).contains(&h) {
                p(
                    out,
                    pp.key("hostPort"),
                    format!("found {h}; expected a port number from 1 to 65535"),
                );
            } else if host_network && h != 0 && h != port.container_port {
                p(
                    out,
                    pp.key("hostPort"),
                    format!(
                        "found {h}; expected {} (with hostNetwork the host port must equal containerPort)",
                        port.container_port
                    ),
                );
            }
        }
        if let Some(proto) = &port.protocol {
            if !matches!(proto.as_str(), "TCP" | "UDP" | "SCTP") {
                p(
                    out,
                    pp.key("protocol"),
                    format!("found {proto:?}; expected TCP, UDP or SCTP"),
                );
            }
        }
    }
    if let Some(r) = &c.resources {
        let rp = path.key("resources");
        for (field, m) in [("requests", &r.requests), ("limits", &r.limits)] {
            for (name, q) in m.iter().flatten() {
                match milli_value(&q.0) {
                    Err(e) => p(out, rp.key(field).key(name), e),
                    Ok(v) if v < 0 => p(
                        out,
                        rp.key(field).key(name),
                        format!("found {:?}; expected a quantity of 0 or more", q.0),
                    ),
                    Ok(_) => {}
                }
            }
        }
        if let (Some(req), Some(lim)) = (&r.requests, &r.limits) {
            for (name, q) in req {
                if let (Some(l), Ok(rv)) = (lim.get(name), milli_value(&q.0)) {
                    if let Ok(lv) = milli_value(&l.0) {
                        if rv > lv {
                            p(out, rp.key("requests").key(name), format!("found {}; expected at most the limit {} (must be less than or equal to {name} limit)", q.0, l.0));
                        }
                    }
                }
            }
        }
    }
}

fn toleration(out: &mut Problems, t: &Toleration, path: &FieldPath) {
    let key = t.key.as_deref().unwrap_or("");
    let op = t.operator.as_deref().unwrap_or("");
    let value = t.value.as_deref().unwrap_or("");
    let effect = t.effect.as_deref().unwrap_or("");
    if !key.is_empty() {
        if let Some(e) = label_key_error(key) {
            p(out, path.key("key"), e);
        }
    }
    match op {
        "" | "Equal" => {
            if key.is_empty() {
                p(out, path.key("operator"), "found an empty key with operator Equal; expected operator: Exists when key is empty (it then tolerates every taint)");
            }
            if let Some(e) = label_value_error(value) {
                p(out, path.key("value"), e);
            }
        }
        "Exists" => {
            if !value.is_empty() {
                p(out, path.key("value"), format!("found {value:?}; expected no value when operator is Exists"));
            }
        }
        "Lt" | "Gt" => p(out, path.key("operator"), format!("found {op:?}; expected Equal or Exists (Lt/Gt tolerations need the alpha feature gate TaintTolerationComparisonOperators, off by default)")),
        other => p(out, path.key("operator"), format!("found {other:?}; expected Equal or Exists")),
    }
    if !effect.is_empty() && !TAINT_EFFECTS.contains(&effect) {
        p(out, path.key("effect"), format!("found {effect:?}; expected NoSchedule, PreferNoSchedule or NoExecute (or no effect, to match every effect)"));
    }
    if t.toleration_seconds.is_some() && effect != "NoExecute" {
        p(out, path.key("tolerationSeconds"), format!("found tolerationSeconds with effect {:?}; expected effect NoExecute (tolerationSeconds only applies to NoExecute)", effect));
    }
}

fn affinity(out: &mut Problems, a: &Affinity, path: &FieldPath) {
    let Some(na) = &a.node_affinity else { return };
    let np = path.key("nodeAffinity");
    if let Some(req) = &na.required_during_scheduling_ignored_during_execution {
        let rp = np.key("requiredDuringSchedulingIgnoredDuringExecution");
        if req.node_selector_terms.is_empty() {
            p(
                out,
                rp.key("nodeSelectorTerms"),
                "found no terms; expected at least one node selector term",
            );
        }
        for (i, term) in req.node_selector_terms.iter().enumerate() {
            let tp = rp.key("nodeSelectorTerms").index(i);
            for (j, r) in term.match_expressions.iter().flatten().enumerate() {
                node_selector_requirement(out, r, &tp.key("matchExpressions").index(j));
            }
            for (j, r) in term.match_fields.iter().flatten().enumerate() {
                node_field_requirement(out, r, &tp.key("matchFields").index(j));
            }
        }
    }
    for (i, pref) in na
        .preferred_during_scheduling_ignored_during_execution
        .iter()
        .flatten()
        .enumerate()
    {
        let pp = np.key("preferredDuringSchedulingIgnoredDuringExecution").index(i);
        if !(1..=100).contains(&pref.weight) {
            p(
                out,
                pp.key("weight"),
                format!("found {}; expected a weight from 1 to 100", pref.weight),
            );
        }
        for (j, r) in pref.preference.match_expressions.iter().flatten().enumerate() {
            node_selector_requirement(out, r, &pp.key("preference").key("matchExpressions").index(j));
        }
    }
}

/// `ValidateNodeSelectorRequirement`. Note: for Gt/Lt the API checks only that there is ONE value;
/// a value that is not an integer is accepted and makes the term match no node.
fn node_selector_requirement(out: &mut Problems, r: &NodeSelectorRequirement, path: &FieldPath) {
    let n = r.values.as_ref().map_or(0, Vec::len);
    match r.operator.as_str() {
        "In" | "NotIn" if n == 0 => p(out, path.key("values"), "found no values; expected at least one value when `operator` is 'In' or 'NotIn'"),
        "Exists" | "DoesNotExist" if n > 0 => p(out, path.key("values"), "found values; expected none when `operator` is 'Exists' or 'DoesNotExist'"),
        "Gt" | "Lt" if n != 1 => p(out, path.key("values"), format!("found {n} values; expected a single value when `operator` is 'Lt' or 'Gt'")),
        "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt" => {}
        other => p(out, path.key("operator"), format!("found {other:?}; expected In, NotIn, Exists, DoesNotExist, Gt or Lt (not a valid selector operator)")),
    }
    if let Some(e) = label_key_error(&r.key) {
        p(out, path.key("key"), e);
    }
}

fn node_field_requirement(out: &mut Problems, r: &NodeSelectorRequirement, path: &FieldPath) {
    if r.key != "metadata.name" {
        p(
            out,
            path.key("key"),
            format!(
                "found {:?}; expected metadata.name (the only field a node selector can match)",
                r.key
            ),
        );
    }
    match r.operator.as_str() {
        "In" | "NotIn" => {
            let n = r.values.as_ref().map_or(0, Vec::len);
            if n != 1 {
                p(out, path.key("values"), format!("found {n} values; expected exactly one value when `operator` is 'In' or 'NotIn' for node field selector"));
            }
        }
        other => p(
            out,
            path.key("operator"),
            format!("found {other:?}; expected In or NotIn for a node field selector"),
        ),
    }
}

fn taint(out: &mut Problems, t: &Taint, path: &FieldPath) {
    if t.key.is_empty() {
        p(
            out,
            path.key("key"),
            "found no key; expected a taint key such as node-role.kubernetes.io/control-plane",
        );
    } else if let Some(e) = label_key_error(&t.key) {
        p(out, path.key("key"), e);
    }
    if let Some(e) = label_value_error(t.value.as_deref().unwrap_or("")) {
        p(out, path.key("value"), e);
    }
    if !TAINT_EFFECTS.contains(&t.effect.as_str()) {
        let found = if t.effect.is_empty() {
            "no effect".to_string()
        } else {
            format!("{:?}", t.effect)
        };
        p(
            out,
            path.key("effect"),
            format!("found {found}; expected NoSchedule, PreferNoSchedule or NoExecute"),
        );
    }
}

/// Checks a Node: name, labels, taints (unique by key and effect), allocatable quantities.
pub fn node(n: &Node) -> Problems {
    let mut out = Problems::new();
    let root = FieldPath::root();
    metadata_name(&mut out, n.metadata.name.as_deref(), &root, "Node");
    if let Some(l) = &n.metadata.labels {
        label_map(&mut out, l, &root.key("metadata").key("labels"));
    }
    let taints = n.spec.as_ref().and_then(|s| s.taints.as_ref());
    for (i, t) in taints.into_iter().flatten().enumerate() {
        let tp = root.key("spec").key("taints").index(i);
        taint(&mut out, t, &tp);
        let dup = taints
            .into_iter()
            .flatten()
            .take(i)
            .any(|o| o.key == t.key && o.effect == t.effect);
        if dup {
            p(
                &mut out,
                tp,
                format!(
                    "found a second taint {}:{}; expected taints unique by key and effect",
                    t.key, t.effect
                ),
            );
        }
    }
    if let Some(st) = &n.status {
        for (field, m) in [("allocatable", &st.allocatable), ("capacity", &st.capacity)] {
            for (name, q) in m.iter().flatten() {
                if let Err(e) = milli_value(&q.0) {
                    p(&mut out, root.key("status").key(field).key(name), e);
                }
            }
        }
    }
    out
}

/// Checks a Pod of another workload.
pub fn pod(pod: &Pod) -> Problems {
    let mut out = Problems::new();
    let root = FieldPath::root();
    metadata_name(&mut out, pod.metadata.name.as_deref(), &root, "Pod");
    match &pod.spec {
        Some(spec) => pod_spec_checks(&mut out, spec, &root.key("spec"), false),
        None => p(
            &mut out,
            root.key("spec"),
            "found no spec; expected spec.containers",
        ),
    }
    out
}
