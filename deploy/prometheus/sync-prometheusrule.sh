#!/usr/bin/env bash
# Writes k8s/base/prometheusrule.yaml from deploy/prometheus/tagpurge-rules.yaml, so the rule file
# stays the single source: the PrometheusRule's spec is that file, indented. Kustomize cannot read
# a file into a resource's spec, hence this generator.
#   deploy/prometheus/sync-prometheusrule.sh           regenerate after editing the rules
#   deploy/prometheus/sync-prometheusrule.sh --check   exit 1 if the committed copy drifted (CI)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

rules=deploy/prometheus/tagpurge-rules.yaml
out=k8s/base/prometheusrule.yaml

render() {
  cat <<'HEADER'
# GENERATED from deploy/prometheus/tagpurge-rules.yaml by deploy/prometheus/sync-prometheusrule.sh.
# Do not edit: edit the rule file and run the script (.ci/run and a deploy test fail on drift).
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: tagpurge
  labels:
    app.kubernetes.io/name: tagpurge
spec:
HEADER
  # the rule file without its leading comment block, indented under spec (blank lines stay empty)
  sed -e '/^groups:/,$!d' -e '/^$/!s/^/  /' "$rules"
}

if [[ "${1:-}" == "--check" ]]; then
  if ! diff -u "$out" <(render); then
    echo "$out is out of date: run deploy/prometheus/sync-prometheusrule.sh" >&2
    exit 1
  fi
else
  render >"$out"
fi
