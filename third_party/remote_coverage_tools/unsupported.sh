#!/bin/sh
# Placeholder for Bazel's coverage tools, which cannot be fetched offline.
echo "remote_coverage_tools: coverage tools are not available offline" >&2
exit 1
