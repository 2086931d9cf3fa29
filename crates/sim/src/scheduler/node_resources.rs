//! Pod requests against a node's allocatable, and host ports (semantics §9.1, filters
//! NodeResourcesFit and NodePorts). The same arithmetic serves the legacy controller's
//! GeneralPredicates (§3.2).
//!
//! Sources: `pkg/scheduler/framework/plugins/noderesources/fit.go` (`fitsRequest`),
//! `staging/src/k8s.io/component-helpers/resource/helpers.go` (`PodRequests`: containers summed,
//! raised to the largest init container, sidecars added, plus overhead),
//! `pkg/scheduler/framework/types.go` (`HostPortInfo.CheckConflict`), API defaulting of requests
//! from limits (`pkg/apis/core/v1/defaults.go`, `SetDefaults_Pod`).

use crate::api::quantity::{format_bytes, format_cpu, milli_value};
use k8s_openapi::api::core::v1::{Container, Node, Pod, PodSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use std::collections::BTreeMap;

pub type Resources = BTreeMap<String, i128>;

fn container_requests(c: &Container) -> Resources {
    let mut out = Resources::new();
    let Some(r) = &c.resources else { return out };
    // A resource with a limit but no request is defaulted to request = limit.
    for (name, q) in r.limits.iter().flatten() {
        out.insert(name.clone(), milli_value(&q.0).unwrap_or(0));
    }
    for (name, q) in r.requests.iter().flatten() {
        out.insert(name.clone(), milli_value(&q.0).unwrap_or(0));
    }
    out
}

fn add(into: &mut Resources, r: &Resources) {
    for (k, v) in r {
        *into.entry(k.clone()).or_insert(0) += v;
    }
}

fn max_into(into: &mut Resources, r: &Resources) {
    for (k, v) in r {
        let e = into.entry(k.clone()).or_insert(0);
        *e = (*e).max(*v);
    }
}

/// `PodRequests`: what the scheduler reserves for a pod.
pub fn pod_requests(spec: &PodSpec) -> Resources {
    let mut reqs = Resources::new();
    for c in &spec.containers {
        add(&mut reqs, &container_requests(c));
    }
    let mut sidecars = Resources::new();
    let mut init_peak = Resources::new();
    for c in spec.init_containers.iter().flatten() {
        let r = container_requests(c);
        if c.restart_policy.as_deref() == Some("Always") {
            // A sidecar keeps running: it adds to the steady state and to later init steps.
            add(&mut reqs, &r);
            add(&mut sidecars, &r);
            max_into(&mut init_peak, &sidecars);
        } else {
            let mut step = sidecars.clone();
            add(&mut step, &r);
            max_into(&mut init_peak, &step);
        }
    }
    max_into(&mut reqs, &init_peak);
    if let Some(o) = &spec.overhead {
        for (k, q) in o {
            *reqs.entry(k.clone()).or_insert(0) += milli_value(&q.0).unwrap_or(0);
        }
    }
    reqs
}

/// The node's allocatable (falls back to capacity). None when the node reports neither: a
/// hand-written Node without status; then resources are not checked, and the caller says so.
pub fn allocatable(node: &Node) -> Option<Resources> {
    Some(
        allocatable_map(node)?
            .iter()
            .map(|(k, q)| (k.clone(), milli_value(&q.0).unwrap_or(0)))
            .collect(),
    )
}

/// A node's allocatable, read for just the resources a pod asks for (and the pod count): parsing
/// and copying every quantity of every node was most of the cost of a verdict on a large cluster.
/// Values sit in the order of `Demand::asks`, so a fit check compares numbers, not names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeAllocatable {
    pods: Option<i128>,
    /// A pod asks for cpu and memory, sometimes ephemeral storage: four fit without allocating;
    /// more (extended resources, hugepages) spill into `more`.
    first: [i128; 4],
    more: Vec<i128>,
}

impl NodeAllocatable {
    /// The allocatable of the `i`th resource of `Demand::asks` (0 when the node lacks it).
    fn ask(&self, i: usize) -> i128 {
        match self.first.get(i) {
            Some(v) => *v,
            None => self.more.get(i - self.first.len()).copied().unwrap_or(0),
        }
    }
    fn set(&mut self, i: usize, v: i128) {
        let n = self.first.len();
        if i < n {
            self.first[i] = v;
        } else {
            if self.more.len() <= i - n {
                self.more.resize(i - n + 1, 0);
            }
            self.more[i - n] = v;
        }
    }
    /// The same view of a map already read (the kubelet's admission reads the whole node).
    pub fn of(demand: &Demand, all: &Resources) -> Self {
        let mut out = NodeAllocatable {
            pods: all.get("pods").copied(),
            ..Default::default()
        };
        for (i, (name, _)) in demand.asks.iter().enumerate() {
            out.set(i, all.get(name).copied().unwrap_or(0));
        }
        out
    }
}

/// The node's allocatable (falls back to capacity) for the resources the pod asks for and the
/// pod count; None when the node reports neither, as `allocatable` says.
pub fn allocatable_for(node: &Node, demand: &Demand) -> Option<NodeAllocatable> {
    let mut out = NodeAllocatable::default();
    for (k, q) in allocatable_map(node)? {
        if k == "pods" {
            out.pods = Some(milli_value(&q.0).unwrap_or(0));
        } else if let Some(i) = demand.ask_index(k) {
            out.set(i, milli_value(&q.0).unwrap_or(0));
        }
    }
    Some(out)
}

/// The map the scheduler reads a node's room from: status.allocatable, or status.capacity when
/// the node reports no allocatable; None when the chosen map is missing or empty.
pub fn allocatable_map(node: &Node) -> Option<&BTreeMap<String, Quantity>> {
    let st = node.status.as_ref()?;
    st.allocatable
        .as_ref()
        .or(st.capacity.as_ref())
        .filter(|m| !m.is_empty())
}

/// `allocatable_for` from a node snapshot's (resource word, milli-value) entries, with the
/// pod's asks resolved to the snapshot's words once (`Demand::ask_words`).
pub fn allocatable_from(entries: &[(u32, i128)], asks: &AskWords) -> NodeAllocatable {
    let mut out = NodeAllocatable::default();
    for &(word, value) in entries {
        if Some(word) == asks.pods {
            out.pods = Some(value);
        } else if let Some(&(_, i)) = asks.asks.iter().find(|(w, _)| *w == word) {
            out.set(i, value);
        }
    }
    out
}

/// The pod count and the pod's asks as words of one node snapshot: (word, index in asks).
#[derive(Debug, Clone, Default)]
pub struct AskWords {
    pods: Option<u32>,
    asks: Vec<(u32, usize)>,
}

/// Pods that hold resources on a node: assigned there and not finished.
pub fn is_active(p: &Pod) -> bool {
    !matches!(
        p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded") | Some("Failed")
    )
}

fn show(name: &str, v: i128) -> String {
    match name {
        "cpu" => format_cpu(v),
        "memory" | "ephemeral-storage" => format_bytes(v),
        _ if name.starts_with("hugepages-") => format_bytes(v),
        _ => format_cpu(v),
    }
}

/// One resource that does not fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    /// `cpu`, `memory`, `pods`, …
    pub resource: String,
    /// Kubernetes' reason text: "Insufficient cpu" or "Too many pods".
    pub reason: String,
    /// The arithmetic, for people: "requested 500m, used 3800m of 4 allocatable".
    pub detail: String,
}

/// `fitsRequest`: every requested resource > 0 must fit in allocatable minus what the pods
/// already on the node request; and one more pod must fit the node's pod count.
pub fn shortfalls(spec: &PodSpec, alloc: &Resources, others: &[&Pod]) -> Vec<Shortfall> {
    let demand = Demand::of(spec);
    shortfalls_for(&demand, &NodeAllocatable::of(&demand, alloc), others)
}

/// What a pod asks of a node, computed once for many nodes.
#[derive(Debug, Clone, Default)]
pub struct Demand {
    pub requests: Resources,
    pub ports: Vec<HostPort>,
    /// The resources checked against a node: every positive request but the pod count, in name
    /// order, with the amount.
    asks: Vec<(String, i128)>,
    /// Where cpu and memory sit in `asks`: nearly every pod asks for them, and a node's keys are
    /// told apart from these two without a string scan.
    cpu: Option<usize>,
    memory: Option<usize>,
}

impl Demand {
    pub fn of(spec: &PodSpec) -> Self {
        let requests = pod_requests(spec);
        let asks: Vec<(String, i128)> = requests
            .iter()
            .filter(|(name, req)| **req > 0 && *name != "pods")
            .map(|(name, req)| (name.clone(), *req))
            .collect();
        let find = |want: &str| asks.iter().position(|(name, _)| name == want);
        Demand {
            cpu: find("cpu"),
            memory: find("memory"),
            asks,
            requests,
            ports: host_ports(spec),
        }
    }

    /// The pod count and each ask as a word of `words`; a resource no node reports has none.
    pub fn ask_words(&self, words: &crate::scheduler::snapshot_words::Words) -> AskWords {
        AskWords {
            pods: words.id("pods"),
            asks: self
                .asks
                .iter()
                .enumerate()
                .filter_map(|(i, (name, _))| words.id(name).map(|w| (w, i)))
                .collect(),
        }
    }

    /// Where `name` sits in `asks`, if the pod asks for it.
    fn ask_index(&self, name: &str) -> Option<usize> {
        match name {
            "cpu" => self.cpu,
            "memory" => self.memory,
            _ => self.asks.iter().position(|(n, _)| n == name),
        }
    }
}

/// `shortfalls` with the pod's requests already computed.
pub fn shortfalls_for(demand: &Demand, alloc: &NodeAllocatable, others: &[&Pod]) -> Vec<Shortfall> {
    let mut out = Vec::new();
    let allowed_pods = alloc.pods.unwrap_or(i128::MAX);
    let pods_now = others.len() as i128 * 1000;
    if pods_now + 1000 > allowed_pods {
        out.push(Shortfall {
            resource: "pods".into(),
            reason: "Too many pods".into(),
            detail: format!(
                "{} pods already on the node, allocatable pods {}",
                others.len(),
                allowed_pods / 1000
            ),
        });
    }
    let mut used = Resources::new();
    for p in others {
        if let Some(s) = &p.spec {
            add(&mut used, &pod_requests(s));
        }
    }
    for (i, (name, req)) in demand.asks.iter().enumerate() {
        let have = alloc.ask(i);
        let in_use = used.get(name).copied().unwrap_or(0);
        if *req > have - in_use {
            out.push(Shortfall {
                resource: name.clone(),
                reason: format!("Insufficient {name}"),
                detail: format!(
                    "requested {}, already requested on the node {}, allocatable {}",
                    show(name, *req),
                    show(name, in_use),
                    show(name, have)
                ),
            });
        }
    }
    out
}

/// A host port a pod asks for: (protocol, hostIP, port).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPort {
    pub protocol: String,
    pub ip: String,
    pub port: i32,
}

/// The host ports of a pod; with hostNetwork every containerPort is a host port.
pub fn host_ports(spec: &PodSpec) -> Vec<HostPort> {
    let host_network = spec.host_network == Some(true);
    let mut out = Vec::new();
    for c in spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
    {
        for p in c.ports.iter().flatten() {
            let port = match p.host_port {
                Some(h) if h > 0 => h,
                _ if host_network => p.container_port,
                _ => continue,
            };
            out.push(HostPort {
                protocol: p.protocol.clone().unwrap_or_else(|| "TCP".into()),
                ip: p.host_ip.clone().unwrap_or_default(),
                port,
            });
        }
    }
    out
}

fn wildcard(ip: &str) -> bool {
    ip.is_empty() || ip == "0.0.0.0" || ip == "::"
}

/// `CheckConflict`: same protocol and port, and either side binds all addresses or both the same IP.
pub fn port_conflicts(spec: &PodSpec, others: &[&Pod]) -> Vec<(HostPort, String)> {
    if others.is_empty() {
        return Vec::new();
    }
    port_conflicts_for(&host_ports(spec), others)
}

/// `port_conflicts` with the pod's host ports already computed.
pub fn port_conflicts_for(mine: &[HostPort], others: &[&Pod]) -> Vec<(HostPort, String)> {
    let mut out = Vec::new();
    if mine.is_empty() {
        return out;
    }
    for other in others {
        let Some(os) = &other.spec else { continue };
        for theirs in host_ports(os) {
            for want in mine {
                if want.port == theirs.port
                    && want.protocol == theirs.protocol
                    && (wildcard(&want.ip) || wildcard(&theirs.ip) || want.ip == theirs.ip)
                {
                    out.push((want.clone(), other.metadata.name.clone().unwrap_or_default()));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{ContainerPort, ResourceRequirements};
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

    fn res(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, Quantity>> {
        Some(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
                .collect(),
        )
    }
    fn container(requests: &[(&str, &str)], limits: &[(&str, &str)]) -> Container {
        Container {
            name: "c".into(),
            resources: Some(ResourceRequirements {
                requests: res(requests),
                limits: res(limits),
                ..Default::default()
            }),
            ..Default::default()
        }
    }
    fn pod(name: &str, containers: Vec<Container>) -> Pod {
        Pod {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some(name.into()),
                ..Default::default()
            },
            spec: Some(PodSpec {
                containers,
                ..Default::default()
            }),
            status: None,
        }
    }

    #[test]
    fn pod_requests_follow_kubernetes_rules() {
        let mut init = container(&[("cpu", "2")], &[]);
        init.name = "init".into();
        let mut sidecar = container(&[("cpu", "100m")], &[]);
        sidecar.restart_policy = Some("Always".into());
        let cases = [
            (
                "containers are summed",
                PodSpec {
                    containers: vec![
                        container(&[("cpu", "100m")], &[]),
                        container(&[("cpu", "200m")], &[]),
                    ],
                    ..Default::default()
                },
                300,
            ),
            (
                "limit without request defaults the request",
                PodSpec {
                    containers: vec![container(&[], &[("cpu", "500m")])],
                    ..Default::default()
                },
                500,
            ),
            (
                "largest init container wins",
                PodSpec {
                    containers: vec![container(&[("cpu", "100m")], &[])],
                    init_containers: Some(vec![init.clone()]),
                    ..Default::default()
                },
                2000,
            ),
            (
                "a sidecar adds to the steady state",
                PodSpec {
                    containers: vec![container(&[("cpu", "100m")], &[])],
                    init_containers: Some(vec![sidecar]),
                    ..Default::default()
                },
                200,
            ),
            (
                "overhead is added",
                PodSpec {
                    containers: vec![container(&[("cpu", "100m")], &[])],
                    overhead: res(&[("cpu", "50m")]),
                    ..Default::default()
                },
                150,
            ),
        ];
        for (name, spec, cpu) in cases {
            assert_eq!(
                pod_requests(&spec).get("cpu").copied().unwrap_or(0),
                cpu,
                "{name}"
            );
        }
    }

    #[test]
    fn fit_reports_every_short_resource() {
        let alloc: Resources = [("cpu", 4000), ("memory", 8_i128 << 30 << 10), ("pods", 3000)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let big = pod("big", vec![container(&[("cpu", "3800m")], &[])]);
        let filler = pod("filler", vec![]);
        let want = PodSpec {
            containers: vec![container(&[("cpu", "500m"), ("memory", "100Mi")], &[])],
            ..Default::default()
        };
        let cases: Vec<(&str, Vec<&Pod>, Vec<&str>)> = vec![
            ("fits on an empty node", vec![], vec![]),
            ("cpu taken by another pod", vec![&big], vec!["Insufficient cpu"]),
            (
                "pod count full",
                vec![&big, &filler, &filler],
                vec!["Too many pods", "Insufficient cpu"],
            ),
        ];
        for (name, others, want_reasons) in cases {
            let got: Vec<String> = shortfalls(&want, &alloc, &others)
                .into_iter()
                .map(|s| s.reason)
                .collect();
            assert_eq!(got, want_reasons, "{name}");
        }
        let nothing = PodSpec {
            containers: vec![Container {
                name: "x".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(
            shortfalls(&nothing, &alloc, &[&big]).is_empty(),
            "a pod requesting nothing only needs a pod slot"
        );
    }

    #[test]
    fn host_port_conflicts() {
        fn ports(host_network: bool, p: &[(i32, i32, &str, &str)]) -> PodSpec {
            PodSpec {
                host_network: Some(host_network),
                containers: vec![Container {
                    name: "c".into(),
                    ports: Some(
                        p.iter()
                            .map(|(c, h, proto, ip)| ContainerPort {
                                container_port: *c,
                                host_port: (*h != 0).then_some(*h),
                                protocol: (!proto.is_empty()).then(|| proto.to_string()),
                                host_ip: (!ip.is_empty()).then(|| ip.to_string()),
                                ..Default::default()
                            })
                            .collect(),
                    ),
                    ..Default::default()
                }],
                ..Default::default()
            }
        }
        let other = |spec: PodSpec| Pod {
            metadata: Default::default(),
            spec: Some(spec),
            status: None,
        };
        let cases = [
            (
                "same port, default TCP",
                ports(false, &[(80, 8080, "", "")]),
                ports(false, &[(80, 8080, "TCP", "")]),
                true,
            ),
            (
                "different protocol",
                ports(false, &[(53, 53, "UDP", "")]),
                ports(false, &[(53, 53, "TCP", "")]),
                false,
            ),
            (
                "different specific IPs",
                ports(false, &[(80, 80, "", "10.0.0.1")]),
                ports(false, &[(80, 80, "", "10.0.0.2")]),
                false,
            ),
            (
                "wildcard against a specific IP",
                ports(false, &[(80, 80, "", "0.0.0.0")]),
                ports(false, &[(80, 80, "", "10.0.0.2")]),
                true,
            ),
            (
                "hostNetwork makes containerPort a host port",
                ports(true, &[(9100, 0, "", "")]),
                ports(false, &[(1, 9100, "", "")]),
                true,
            ),
            (
                "no host port never conflicts",
                ports(false, &[(80, 0, "", "")]),
                ports(false, &[(80, 0, "", "")]),
                false,
            ),
        ];
        for (name, mine, theirs, want) in cases {
            let o = other(theirs);
            assert_eq!(!port_conflicts(&mine, &[&o]).is_empty(), want, "{name}");
        }
    }
}
