#!/usr/bin/env python3
"""Writes a synthetic `kubectl get ds,nodes,pods -A -o yaml` dump (or -o json) of a big cluster,
in the shape kubectl prints: a List, every Node with its labels, taints, conditions, images and
managedFields, three DaemonSets and one pod of each per node. For benchmarks and memory checks:

    scripts/make-dump.py --nodes 10000 > target/dump-10k.yaml
    scripts/make-dump.py --nodes 5000 --json > target/dump-5k.json
    scripts/make-dump.py --nodes 5000 --no-pods --no-managed-fields > target/dump-5k-lean.yaml
    scripts/make-dump.py --nodes 5000 --outdated 10 > target/dump-5k-rollout.yaml   # dslab audit

With --outdated P, P% of each DaemonSet's pods are still on the previous template (generation 2,
another controller-revision-hash), as in the middle of a rollout.
"""
import argparse
import json
import sys


def node(i):
    name = f"ip-10-{i // 65536 % 256}-{i // 256 % 256}-{i % 256}.eu-west-1.compute.internal"
    zone = "eu-west-1" + "abc"[i % 3]
    cp = i < 3
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/instance-type": "m6i.xlarge",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "node.kubernetes.io/instance-type": "m6i.xlarge",
        "topology.kubernetes.io/region": "eu-west-1",
        "topology.kubernetes.io/zone": zone,
    }
    if cp:
        labels["node-role.kubernetes.io/control-plane"] = ""
    if i % 17 == 0 and not cp:
        labels["example.com/pool"] = "gpu"
    f_labels = {f"f:{k}": {} for k in labels}
    f_labels["."] = {}
    conditions = []
    f_conditions = {}
    for t, status, reason in [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID"),
        ("Ready", "False" if i % 97 == 5 else "True", "KubeletReady"),
    ]:
        conditions.append({
            "lastHeartbeatTime": "2026-11-30T10:21:58Z",
            "lastTransitionTime": "2026-11-02T09:03:01Z",
            "message": f"kubelet reports {reason}",
            "reason": reason,
            "status": status,
            "type": t,
        })
        f_conditions[f'k:{{"type":"{t}"}}'] = {
            "f:lastHeartbeatTime": {}, "f:lastTransitionTime": {}, "f:message": {},
            "f:reason": {}, "f:status": {},
        }
    taints = []
    if cp:
        taints.append({"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"})
    if "example.com/pool" in labels:
        taints.append({"effect": "NoSchedule", "key": "nvidia.com/gpu", "value": "present"})
    if i % 97 == 5:
        taints.append({"effect": "NoSchedule", "key": "node.kubernetes.io/not-ready"})
        taints.append({"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
                       "timeAdded": "2026-11-30T10:20:11Z"})
    spec = {"podCIDR": f"10.{100 + i // 256 % 100}.{i % 256}.0/24",
            "podCIDRs": [f"10.{100 + i // 256 % 100}.{i % 256}.0/24"],
            "providerID": f"aws:///{zone}/i-{i:017x}"}
    if taints:
        spec["taints"] = taints
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "annotations": {
                "alpha.kubernetes.io/provided-node-ip": f"10.0.{i // 256 % 256}.{i % 256}",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
            "creationTimestamp": "2026-11-02T09:02:31Z",
            "labels": labels,
            "managedFields": [
                {"apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {
                    "f:metadata": {"f:annotations": {".": {}, "f:alpha.kubernetes.io/provided-node-ip": {},
                                                     "f:volumes.kubernetes.io/controller-managed-attach-detach": {}},
                                   "f:labels": f_labels},
                    "f:spec": {"f:providerID": {}}},
                 "manager": "kubelet", "operation": "Update", "time": "2026-11-02T09:02:31Z"},
                {"apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {
                    "f:metadata": {"f:annotations": {"f:node.alpha.kubernetes.io/ttl": {}}},
                    "f:spec": {"f:podCIDR": {}, "f:podCIDRs": {".": {}, f'v:"{spec["podCIDR"]}"': {}}}},
                 "manager": "kube-controller-manager", "operation": "Update", "time": "2026-11-02T09:03:01Z"},
                {"apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {
                    "f:status": {"f:allocatable": {"f:cpu": {}, "f:ephemeral-storage": {}, "f:memory": {}, "f:pods": {}},
                                 "f:capacity": {"f:cpu": {}, "f:ephemeral-storage": {}, "f:memory": {}, "f:pods": {}},
                                 "f:conditions": f_conditions, "f:images": {}, "f:nodeInfo": {"f:bootID": {}, "f:kernelVersion": {}}}},
                 "manager": "kubelet", "operation": "Update", "subresource": "status", "time": "2026-11-30T10:21:58Z"},
            ],
            "name": name,
            "resourceVersion": str(900000 + i),
            "uid": f"0b6f1f0e-1a55-4c0e-9b7d-{i:012}",
        },
        "spec": spec,
        "status": {
            "addresses": [{"address": f"10.0.{i // 256 % 256}.{i % 256}", "type": "InternalIP"},
                          {"address": name, "type": "Hostname"}],
            "allocatable": {"cpu": "3920m", "ephemeral-storage": "76224326324", "hugepages-1Gi": "0",
                            "hugepages-2Mi": "0", "memory": "15186684Ki", "pods": "58"},
            "capacity": {"cpu": "4", "ephemeral-storage": "83873772Ki", "hugepages-1Gi": "0",
                         "hugepages-2Mi": "0", "memory": "16092412Ki", "pods": "58"},
            "conditions": conditions,
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "images": [{"names": [f"registry.example.com/app-{k}@sha256:{k:064x}", f"registry.example.com/app-{k}:v1.{k}"],
                        "sizeBytes": 10_000_000 + k} for k in range(10)],
            "nodeInfo": {"architecture": "amd64", "bootID": f"b-{i}", "containerRuntimeVersion": "containerd://1.7.22",
                         "kernelVersion": "6.1.115", "kubeProxyVersion": "v1.31.2", "kubeletVersion": "v1.31.2",
                         "machineID": f"ec2{i:029x}", "operatingSystem": "linux", "osImage": "Amazon Linux 2023",
                         "systemUUID": f"ec2{i:029x}"},
        },
    }


DAEMONSETS = [
    ("kube-system", "net-agent", "registry.example.com/net-agent:v1.16.3", [{"operator": "Exists"}], None, 9099),
    ("logging", "log-shipper", "registry.example.com/log-shipper:3.1.0", None, None, 2020),
    ("monitoring", "gpu-exporter", "registry.example.com/gpu-exporter:0.9", [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}], {"example.com/pool": "gpu"}, 9400),
]


def daemonset(ns, name, image, tolerations, selector, port, desired):
    spec = {"containers": [{"name": name, "image": image,
                            "ports": [{"containerPort": port, "hostPort": port, "protocol": "TCP"}],
                            "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}}}]}
    if tolerations:
        spec["tolerations"] = tolerations
    if selector:
        spec["nodeSelector"] = selector
    return {
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"generation": 3, "name": name, "namespace": ns, "uid": f"uid-{name}",
                     "annotations": {"deprecated.daemonset.template.generation": "3"}},
        "spec": {"revisionHistoryLimit": 10, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}}, "spec": spec},
                 "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}}},
        "status": {"currentNumberScheduled": desired, "desiredNumberScheduled": desired, "numberAvailable": desired,
                   "numberMisscheduled": 0, "numberReady": desired, "observedGeneration": 3,
                   "updatedNumberScheduled": desired},
    }


def pod(ns, name, image, port, node_name, i, outdated=False, ready=True):
    generation, rev = ("2", "5f6d4c8b7d") if outdated else ("3", "7c9d8f6b5d")
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"generateName": f"{name}-", "name": f"{name}-{i:05x}", "namespace": ns,
                     "labels": {"app": name, "controller-revision-hash": rev, "pod-template-generation": generation},
                     "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                                          "kind": "DaemonSet", "name": name, "uid": f"uid-{name}"}]},
        "spec": {"containers": [{"name": name, "image": image,
                                 "ports": [{"containerPort": port, "hostPort": port, "protocol": "TCP"}],
                                 "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}}}],
                 "nodeName": node_name},
        "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]},
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--nodes", type=int, default=5000)
    p.add_argument("--json", action="store_true")
    p.add_argument("--no-pods", action="store_true")
    p.add_argument("--outdated", type=int, default=0, metavar="PERCENT",
                   help="this share of each DaemonSet's pods is on the previous template (a rollout under way)")
    p.add_argument("--no-managed-fields", action="store_true", help="as kubectl prints since v1.21")
    p.add_argument("--lean", action="store_true",
                   help="no managedFields, images, addresses or pressure conditions (about 1.4 KB a node)")
    a = p.parse_args()
    nodes = [node(i) for i in range(a.nodes)]
    for n in nodes:
        if a.no_managed_fields or a.lean:
            del n["metadata"]["managedFields"]
        if a.lean:
            for k in ("images", "addresses", "nodeInfo", "daemonEndpoints"):
                del n["status"][k]
            n["status"]["conditions"] = n["status"]["conditions"][3:]
    items = []
    for ns, name, image, tol, sel, port in DAEMONSETS:
        items.append(daemonset(ns, name, image, tol, sel, port, a.nodes))
    items += nodes
    if not a.no_pods:
        for ns, name, image, tol, sel, port in DAEMONSETS:
            for i, n in enumerate(nodes):
                if sel and not all(n["metadata"]["labels"].get(k) == v for k, v in sel.items()):
                    continue
                outdated = (i * 7919) % 100 < a.outdated
                # The node lifecycle controller marks the pods of a NotReady node not ready.
                ready = i % 97 != 5
                items.append(pod(ns, name, image, port, n["metadata"]["name"], i, outdated, ready))
    dump = {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
    if a.json:
        json.dump(dump, sys.stdout, indent=4)
        sys.stdout.write("\n")
        return
    import yaml  # PyYAML, for the YAML form only

    class Dumper(yaml.SafeDumper):
        pass

    # kubectl's style: block style, sequences not indented under their key, no line folding.
    def str_presenter(d, s):
        return d.represent_scalar("tag:yaml.org,2002:str", s)

    Dumper.add_representer(str, str_presenter)
    sys.stdout.write(yaml.dump(dump, Dumper=Dumper, default_flow_style=False, sort_keys=True, width=1 << 20))


if __name__ == "__main__":
    main()
