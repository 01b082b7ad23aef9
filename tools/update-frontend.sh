#!/usr/bin/env bash
# Rebuilds the committed NHS design system assets in src/Lantern.Server/wwwroot from npm.
# Run only when upgrading nhsuk-frontend; the build and CI never need npm.
set -euo pipefail
cd "$(dirname "$0")/frontend"
npm ci --no-audit --no-fund
www=../../src/Lantern.Server/wwwroot
mkdir -p "$www/css" "$www/js" "$www/assets"
npx sass --pkg-importer=node --style=compressed --no-source-map app.scss "$www/css/nhsuk-frontend.min.css"
cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js "$www/js/"
rm -rf "$www/assets" && cp -r node_modules/nhsuk-frontend/dist/nhsuk/assets "$www/assets"
echo "nhsuk-frontend $(node -p "require('nhsuk-frontend/package.json').version")" > "$www/NHSUK-FRONTEND-VERSION"
