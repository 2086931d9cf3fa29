//! Controllers of the controller manager that act on DaemonSets and their pods. Only the
//! DaemonSet controller is modelled (`pkg/controller/daemon`); the node lifecycle controller and the
//! garbage collectors have folders of their own (`node_lifecycle`, `gc`), as in Kubernetes.

pub mod daemonset;
