#!/usr/bin/env bash
# Refreshes the screenshots the docs show (docs/screenshots/), on purpose: runs the end-to-end tests,
# which save every screen to test-results/screenshots/, then copies those PNGs over the docs' copies.
# `npm test` never writes docs/screenshots/ (it must leave the tree clean); run this when a screen
# changed, look at the images, and commit them.
#   bash scripts/refresh-screenshots.sh [vitest file filters…]   (default: every tests/e2e/app-* test)
set -euo pipefail
cd "$(dirname "$0")/.."
shots=test-results/screenshots
rm -rf "$shots"
filters=("$@")
[ ${#filters[@]} -gt 0 ] || filters=(tests/e2e/app-)
npx vitest run "${filters[@]}"
mkdir -p docs/screenshots
count=0
for f in "$shots"/*.png; do
  [ -e "$f" ] || continue
  cp "$f" docs/screenshots/
  count=$((count + 1))
done
echo "refreshed $count screenshots in docs/screenshots/ from $shots/ (review them with git diff --stat, then commit)"
