//! `kubectl describe daemonset|pod|node NAME`, in kubectl's layout.

use super::command_line::{error, parse_flags, Outcome, NAMESPACE};
use super::words::{age, is_daemonset, is_node, is_pod, table};
use crate::cluster::ClusterView;

pub fn run(rest: &[String], view: &ClusterView) -> Outcome {
    let f = match parse_flags(rest, &[NAMESPACE]) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let ns = f.get("--namespace").unwrap_or("default");
    let (kind, name) = match f.args.as_slice() {
        [one] if one.contains('/') => {
            let (k, n) = one.split_once('/').unwrap_or_default();
            (k.to_string(), n.to_string())
        }
        [k, n] => (k.clone(), n.clone()),
        [k] => {
            return error(
                format!("error: describe {k} needs a name here"),
                Some("kubectl describe pod NAME"),
            )
        }
        _ => return error("error: expected: describe daemonset|pod|node NAME", None),
    };
    if is_daemonset(&kind) {
        return daemonset(view, ns, &name);
    }
    if is_pod(&kind) {
        return pod(view, ns, &name);
    }
    if is_node(&kind) {
        return node(view, &name);
    }
    error(
        format!("error: the server doesn't have a resource type \"{kind}\""),
        Some("describe daemonset, pod or node"),
    )
}

fn events(view: &ClusterView, object: &str) -> String {
    let evs: Vec<_> = view.events.iter().filter(|e| e.object == object).collect();
    if evs.is_empty() {
        return "Events:            <none>\n".into();
    }
    let mut rows = vec![
        ["Type", "Reason", "Age", "From", "Message"]
            .map(String::from)
            .to_vec(),
        ["----", "------", "----", "----", "-------"]
            .map(String::from)
            .to_vec(),
    ];
    for e in evs {
        rows.push(vec![
            e.type_.to_string(),
            e.reason.to_string(),
            age(view.time.saturating_sub(e.time)),
            e.from.to_string(),
            e.message.to_string(),
        ]);
    }
    let body: String = table(&rows).lines().map(|l| format!("  {l}\n")).collect();
    format!("Events:\n{body}")
}

fn field(label: &str, value: impl std::fmt::Display) -> String {
    let l = format!("{label}:");
    if l.len() >= 18 {
        format!("{l}  {value}\n")
    } else {
        format!("{l:<18}{value}\n")
    }
}

fn daemonset(view: &ClusterView, ns: &str, name: &str) -> Outcome {
    let Some(d) = view
        .daemonsets
        .iter()
        .find(|d| d.name == name && d.namespace == ns && !d.deleted)
    else {
        let hint = view
            .daemonsets
            .iter()
            .find(|d| d.name == name)
            .map(|d| format!("it is in namespace {}: add -n {}", d.namespace, d.namespace));
        return error(
            format!("Error from server (NotFound): daemonsets.apps \"{name}\" not found"),
            hint.as_deref(),
        );
    };
    let s = &d.status;
    let pods: Vec<_> = view
        .pods
        .iter()
        .filter(|p| p.owner.as_deref() == Some(&d.name))
        .collect();
    let count = |phases: &[&str]| pods.iter().filter(|p| phases.contains(&p.phase.as_str())).count();
    let running = count(&["Running", "CrashLoopBackOff", "Terminating"]);
    let waiting = count(&["Pending", "ContainerCreating"]);
    let mut out = String::new();
    out += &field("Name", &d.name);
    out += &field("Namespace", &d.namespace);
    out += &field("Selector", &d.selector);
    out += &field("Node-Selector", &d.node_selector);
    out += &format!(
        "Desired Number of Nodes Scheduled: {}\n",
        s.desired_number_scheduled
    );
    out += &format!(
        "Current Number of Nodes Scheduled: {}\n",
        s.current_number_scheduled
    );
    out += &format!(
        "Number of Nodes Scheduled with Up-to-date Pods: {}\n",
        s.updated_number_scheduled
    );
    out += &format!(
        "Number of Nodes Scheduled with Available Pods: {}\n",
        s.number_available
    );
    out += &format!("Number of Nodes Misscheduled: {}\n", s.number_misscheduled);
    out += &format!(
        "Pods Status:  {running} Running / {waiting} Waiting / {} Succeeded / {} Failed\n",
        count(&["Completed"]),
        pods.len() - running - waiting - count(&["Completed"])
    );
    out += &format!("Update Strategy:  {}\n", d.update_strategy);
    out += "Pod Template:\n";
    out += &format!("  Labels:  {}\n", d.template_labels);
    out += "  Containers:\n";
    for (c, image) in &d.containers {
        out += &format!("   {c}:\n    Image:      {image}\n");
    }
    if let Some(pc) = &d.priority_class {
        out += &format!("  Priority Class Name:  {pc}\n");
    }
    out += &events(view, &format!("daemonset/{}", d.name));
    Outcome::Output(out)
}

fn pod(view: &ClusterView, ns: &str, name: &str) -> Outcome {
    let Some(p) = view.pods.iter().find(|p| p.name == name && p.namespace == ns) else {
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
    let ds = p
        .owner
        .as_ref()
        .and_then(|o| view.daemonsets.iter().find(|d| &d.name == o));
    let mut out = String::new();
    out += &field("Name", &p.name);
    out += &field("Namespace", &p.namespace);
    if let Some(pc) = ds.and_then(|d| d.priority_class.as_ref()) {
        out += &field("Priority Class Name", pc);
    }
    out += &field(
        "Node",
        if p.bound {
            p.node.as_deref().unwrap_or_default().to_string()
        } else {
            "<none>".into()
        },
    );
    let status = match p.phase.as_str() {
        "ContainerCreating" | "CrashLoopBackOff" => {
            if p.restarts > 0 { "Running" } else { "Pending" }.to_string()
        }
        other => other.to_string(),
    };
    out += &field("Status", status);
    if let Some(h) = &p.hash {
        out += &field("Labels", format!("controller-revision-hash={h}"));
    }
    out += &field(
        "Controlled By",
        p.owner
            .as_ref()
            .map_or("<none>".into(), |o| format!("DaemonSet/{o}")),
    );
    out += "Containers:\n";
    let cname = ds
        .and_then(|d| d.containers.first())
        .map_or("container".to_string(), |c| c.0.clone());
    let state = match p.phase.as_str() {
        "Running" => "Running".to_string(),
        "CrashLoopBackOff" => "Waiting\n      Reason:       CrashLoopBackOff".to_string(),
        "ContainerCreating" => "Waiting\n      Reason:       ContainerCreating".to_string(),
        "Terminating" => "Terminated".to_string(),
        _ => "Waiting".to_string(),
    };
    if p.containers.is_empty() {
        out += &format!("  {cname}:\n    Image:          {}\n    State:          {state}\n    Ready:          {}\n    Restart Count:  {}\n", p.image, if p.ready { "True" } else { "False" }, p.restarts);
    }
    // A pod with several containers: each with its own image, state, readiness and restarts.
    for c in &p.containers {
        let state = match &c.reason {
            Some(r) => format!("{}\n      Reason:       {r}", c.state),
            None => c.state.to_string(),
        };
        out += &format!(
            "  {}:\n    Image:          {}\n    State:          {state}\n    Ready:          {}\n    Restart Count:  {}\n",
            c.name,
            c.image,
            if c.ready { "True" } else { "False" },
            c.restarts
        );
    }
    out += "Conditions:\n  Type              Status\n";
    out += &format!(
        "  PodScheduled      {}\n  Ready             {}\n",
        if p.bound { "True" } else { "False" },
        if p.ready { "True" } else { "False" }
    );
    if let Some(d) = ds {
        out += &field("Node-Selectors", &d.node_selector);
        let mut tol = d.tolerations.iter();
        out += &field(
            "Tolerations",
            tol.next().cloned().unwrap_or_else(|| "<none>".into()),
        );
        for t in tol {
            out += &format!("{:<18}{t}\n", "");
        }
    }
    out += &events(view, &format!("pod/{}", p.name));
    Outcome::Output(out)
}

fn node(view: &ClusterView, name: &str) -> Outcome {
    let Some(n) = view.nodes.iter().find(|n| n.name == name) else {
        return error(
            format!("Error from server (NotFound): nodes \"{name}\" not found"),
            Some("kubectl get nodes lists them"),
        );
    };
    let mut out = String::new();
    out += &field("Name", &n.name);
    let roles: Vec<&str> = n
        .labels
        .iter()
        .filter_map(|(k, _)| k.strip_prefix("node-role.kubernetes.io/"))
        .collect();
    out += &field(
        "Roles",
        if roles.is_empty() {
            "<none>".into()
        } else {
            roles.join(",")
        },
    );
    let mut labels = n.labels.iter().map(|(k, v)| format!("{k}={v}"));
    out += &field("Labels", labels.next().unwrap_or_else(|| "<none>".into()));
    for l in labels {
        out += &format!("{:<18}{l}\n", "");
    }
    let mut taints = n.taints.iter();
    out += &field(
        "Taints",
        taints.next().cloned().unwrap_or_else(|| "<none>".into()),
    );
    for t in taints {
        out += &format!("{:<18}{t}\n", "");
    }
    out += &field("Unschedulable", n.unschedulable);
    out += "Conditions:\n  Type    Status\n";
    out += &format!("  Ready   {}\n", if n.ready { "True" } else { "False" });
    let pods: Vec<_> = view
        .pods
        .iter()
        .filter(|p| p.bound && p.node.as_deref() == Some(&n.name) && p.phase != "Completed")
        .collect();
    out += &format!("Non-terminated Pods:          ({} in total)\n", pods.len());
    if !pods.is_empty() {
        let mut rows = vec![
            vec!["Namespace".to_string(), "Name".into(), "Age".into()],
            vec!["---------".to_string(), "----".into(), "---".into()],
        ];
        for p in pods {
            rows.push(vec![
                p.namespace.to_string(),
                p.name.to_string(),
                age(view.time.saturating_sub(p.created)),
            ]);
        }
        out += &table(&rows)
            .lines()
            .map(|l| format!("  {l}\n"))
            .collect::<String>();
    }
    out += &events(view, &format!("node/{}", n.name));
    Outcome::Output(out)
}
