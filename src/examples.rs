//! The example the playground opens with: a log agent on a 3-node cluster whose control-plane
//! node carries the usual NoSchedule taint.

pub const DAEMONSET_YAML: &str = r#"apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluent-bit
  namespace: logging
  labels:
    app.kubernetes.io/name: fluent-bit
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: fluent-bit
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1
      maxSurge: 0
  template:
    metadata:
      labels:
        app.kubernetes.io/name: fluent-bit
    spec:
      nodeSelector:
        kubernetes.io/os: linux
      containers:
      - name: fluent-bit
        image: cr.fluentbit.io/fluent/fluent-bit:3.1.9
        resources:
          requests:
            cpu: 50m
            memory: 64Mi
        volumeMounts:
        - name: varlog
          mountPath: /var/log
          readOnly: true
      volumes:
      - name: varlog
        hostPath:
          path: /var/log
"#;

pub const NODES_YAML: &str = r#"apiVersion: v1
kind: Node
metadata:
  name: control-plane-1
  labels:
    kubernetes.io/hostname: control-plane-1
    kubernetes.io/os: linux
    node-role.kubernetes.io/control-plane: ""
spec:
  taints:
  - key: node-role.kubernetes.io/control-plane
    effect: NoSchedule
status:
  conditions:
  - type: Ready
    status: "True"
---
apiVersion: v1
kind: Node
metadata:
  name: worker-1
  labels:
    kubernetes.io/hostname: worker-1
    kubernetes.io/os: linux
spec: {}
status:
  conditions:
  - type: Ready
    status: "True"
---
apiVersion: v1
kind: Node
metadata:
  name: worker-2
  labels:
    kubernetes.io/hostname: worker-2
    kubernetes.io/os: linux
spec: {}
status:
  conditions:
  - type: Ready
    status: "True"
"#;
