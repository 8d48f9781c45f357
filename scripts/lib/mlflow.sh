# The sample MLflow tracking server of scripts/start. Source after
# scripts/lib/system.sh (ensure_ml_venv installs MLflow into .venv-ml).

# start_mlflow_sample: a real `mlflow server` with the basic-auth app on
# 127.0.0.1:5000 (SQLite store and artifacts under data/mlflow), a portal user
# `lakeport` with READ (the default permission), and, once, the sample
# training script over the sample lakehouse and Feast repository (five
# versions of two models, `champion` on each v1, EDIT for `lakeport` on both:
# their aliases are governed by the portal). A changed training script
# starts the sample store afresh. Sets MLFLOW_PID when it started the server.
MLFLOW_PID=""
start_mlflow_sample() {
  local dir="$PWD/data/mlflow" url=http://127.0.0.1:5000
  local admin_password="${LAKEPORT_MLFLOW_ADMIN_PASSWORD:-lakeport-dev-mlflow-admin}"
  local portal_password="${LAKEPORT_MLFLOW_PASSWORD:-lakeport-dev-mlflow}"
  local script=python/lakeport_tools/train_sample_models.py stamp
  stamp="$(sha256sum "$script" | cut -c1-16)"
  mkdir -p "$dir"
  if [ -f "$dir/.trained" ] && [ "$(cat "$dir/.trained")" != "$stamp" ] && ! curl -sf -o /dev/null "$url/health"; then
    echo "start: the sample training script changed; starting the sample MLflow store afresh" >&2
    rm -rf "$dir/mlflow.db" "$dir/basic_auth.db" "$dir/artifacts" "$dir/.trained"
  fi
  cat >"$dir/basic_auth.ini" <<INI
[mlflow]
default_permission = READ
database_uri = sqlite:///$dir/basic_auth.db
admin_username = admin
admin_password = $admin_password
authorization_function = mlflow.server.auth:authenticate_request_basic_auth
INI
  if ! curl -sf -o /dev/null "$url/health"; then
    MLFLOW_AUTH_CONFIG_PATH="$dir/basic_auth.ini" MLFLOW_DISABLE_TELEMETRY=true \
      MLFLOW_FLASK_SERVER_SECRET_KEY="${LAKEPORT_MLFLOW_SECRET_KEY:-lakeport-dev-mlflow-secret}" \
      MLFLOW_AUTH_ADMIN_PASSWORD="$admin_password" \
      MLFLOW_WEBHOOK_ALLOWED_SCHEMES=http,https MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS=true \
      MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY="${LAKEPORT_MLFLOW_WEBHOOK_KEY:-bGFrZXBvcnQtZGV2LW1sZmxvdy13ZWJob29rLWtleTA=}" \
      "$PWD/.venv-ml/bin/mlflow" server --app-name basic-auth \
      --backend-store-uri "sqlite:///$dir/mlflow.db" --default-artifact-root "$dir/artifacts" \
      --host 127.0.0.1 --port 5000 --workers 1 >"$dir/server.log" 2>&1 &
    MLFLOW_PID=$!
    for _ in $(seq 1 180); do
      curl -sf -o /dev/null "$url/health" && break
      kill -0 "$MLFLOW_PID" 2>/dev/null || { tail -20 "$dir/server.log" >&2; return 1; }
      sleep 1
    done
  fi
  # The portal's own user (READ); "already exists" is fine.
  curl -s -o /dev/null -u "admin:$admin_password" -H 'Content-Type: application/json' \
    -d "{\"username\":\"lakeport\",\"password\":\"$portal_password\"}" \
    "$url/api/2.0/mlflow/users/create" || true
  if [ ! -f "$dir/.trained" ]; then
    echo "start: training the sample models into MLflow (once)" >&2
    MLFLOW_TRACKING_USERNAME=admin MLFLOW_TRACKING_PASSWORD="$admin_password" \
      "$PWD/.venv-ml/bin/python" "$script" \
      --tracking-uri "$url" --lakehouse-root data/lakehouse --feast-repo data/feast/repo --portal-user lakeport \
      >"$dir/training.log" 2>&1 || { tail -20 "$dir/training.log" >&2; return 1; }
    echo "$stamp" >"$dir/.trained"
  fi
}
