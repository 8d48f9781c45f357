# Shared helpers of scripts/start and scripts/test: Debian packages and the
# local PostgreSQL. Source after scripts/bootstrap.sh.

_lp_apt_updated=0
# ensure_debian_packages <command-to-test> <package>...: installs the packages
# when the command is missing. Runs apt-get update once per script.
ensure_debian_packages() {
  local probe="$1"; shift
  if command -v "$probe" >/dev/null 2>&1 || [ -x "$probe" ]; then return 0; fi
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "system: installing $* (Debian packages)" >&2
  if [ "$_lp_apt_updated" = 0 ]; then
    $sudo apt-get update -qq >/dev/null
    _lp_apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# ensure_postgres: installs and starts a local PostgreSQL when none answers on
# 127.0.0.1:5432, creates the superuser role lakeport/lakeport (tests create
# databases and roles), and exports the connection variables.
ensure_postgres() {
  export POSTGRES_HOST="${POSTGRES_HOST:-127.0.0.1}" POSTGRES_PORT="${POSTGRES_PORT:-5432}"
  export POSTGRES_USER="${POSTGRES_USER:-lakeport}" POSTGRES_PASSWORD="${POSTGRES_PASSWORD:-lakeport}"
  if ! pg_isready -q -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" 2>/dev/null; then
    ensure_debian_packages pg_ctlcluster postgresql
    local version
    version="$(ls /etc/postgresql | sort -V | tail -1)"
    [ -n "$version" ] || { echo "system: no PostgreSQL cluster found under /etc/postgresql" >&2; return 1; }
    echo "system: starting PostgreSQL $version" >&2
    pg_ctlcluster "$version" main start
    for _ in $(seq 1 30); do
      pg_isready -q -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" && break
      sleep 1
    done
  fi
  if ! PGPASSWORD="$POSTGRES_PASSWORD" psql -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    su postgres -c "psql -q -d postgres -c \"CREATE ROLE $POSTGRES_USER LOGIN SUPERUSER PASSWORD '$POSTGRES_PASSWORD'\""
  fi
  LAKEPORT_POSTGRES_VERSION="$(PGPASSWORD="$POSTGRES_PASSWORD" psql -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d postgres -tAc 'show server_version_num' | cut -c1-2)"
  export LAKEPORT_POSTGRES_VERSION
  export LAKEPORT_POSTGRES_URL="postgresql://$POSTGRES_USER:$POSTGRES_PASSWORD@$POSTGRES_HOST:$POSTGRES_PORT"
  # TestDatabases (backend-test-utils) runs store tests on this server.
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${LAKEPORT_POSTGRES_VERSION}_CONNECTION_STRING=$LAKEPORT_POSTGRES_URL"
}

# install_venv <dir> <requirements>: a virtualenv with pinned requirements,
# reinstalled only when the requirements file changed.
install_venv() {
  local venv="$1" requirements="$2" stamp="$1/.requirements.sha256" want
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "system: installing $requirements into $venv" >&2
    python3 -m venv "$venv" || return 1
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements" || return 1
    echo "$want" >"$stamp"
  fi
}

# ensure_python_venv: the repo's virtualenvs with the pinned Python tools:
# .venv from python/requirements.txt (OpenLineage client, dbt, Great
# Expectations) and .venv-soda from python/requirements-soda.txt (Soda Core's
# DuckDB connector pins an older DuckDB than dbt-duckdb needs). Exports
# LAKEPORT_PYTHON and LAKEPORT_SODA_PYTHON.
ensure_python_venv() {
  install_venv "$PWD/.venv" python/requirements.txt || return 1
  install_venv "$PWD/.venv-soda" python/requirements-soda.txt || return 1
  export LAKEPORT_PYTHON="$PWD/.venv/bin/python"
  export LAKEPORT_SODA_PYTHON="$PWD/.venv-soda/bin/python"
}

# ensure_spark_venv: .venv-spark from python/requirements-spark.txt (PySpark
# 4.2.0; the stock OpenLineage listener and other jars come through Ivy into
# the ignored .cache/ivy on first use). pip keeps its wheels in .cache/pip
# (PySpark ships as a source archive: building its wheel takes minutes once).
# Exports LAKEPORT_SPARK_VENV and SPARK_LOCAL_IP.
ensure_spark_venv() {
  PIP_CACHE_DIR="$PWD/.cache/pip" install_venv "$PWD/.venv-spark" python/requirements-spark.txt || return 1
  command -v java >/dev/null 2>&1 || { echo "system: Spark needs Java 17 or later (java not found)" >&2; return 1; }
  export LAKEPORT_SPARK_VENV="$PWD/.venv-spark"
  export SPARK_LOCAL_IP=127.0.0.1
}

# ensure_ml_venv: .venv-ml from python/requirements-ml.txt (Feast with its
# registry REST server, and MLflow: their pins resolve together, about
# 1.2 GB). pip keeps its wheels in .cache/pip. Exports LAKEPORT_FEAST.
ensure_ml_venv() {
  PIP_CACHE_DIR="$PWD/.cache/pip" install_venv "$PWD/.venv-ml" python/requirements-ml.txt || return 1
  export LAKEPORT_FEAST="$PWD/.venv-ml/bin/feast"
}

# ensure_airflow_venv: .venv-airflow from python/requirements-airflow.txt
# (Airflow 3 with the OpenLineage provider, for the generated batch pipelines;
# about 300 MB). Exports LAKEPORT_AIRFLOW_VENV.
ensure_airflow_venv() {
  PIP_CACHE_DIR="$PWD/.cache/pip" install_venv "$PWD/.venv-airflow" python/requirements-airflow.txt || return 1
  export LAKEPORT_AIRFLOW_VENV="$PWD/.venv-airflow"
}

# ensure_notebook_venv: .venv-notebook from python/requirements-notebook.txt
# (papermill with a Python kernel, pandas, pyarrow, matplotlib: what the
# generated notebooks run with). Exports LAKEPORT_NOTEBOOK_VENV.
ensure_notebook_venv() {
  PIP_CACHE_DIR="$PWD/.cache/pip" install_venv "$PWD/.venv-notebook" python/requirements-notebook.txt || return 1
  export LAKEPORT_NOTEBOOK_VENV="$PWD/.venv-notebook"
}

# maven_jars <pom> <dir> [mvn args]: the runtime jars of the pom copied into
# <dir> by Maven (its repository in .cache/m2), again only when the pom changed.
maven_jars() {
  local pom="$1" lib="$2" stamp want; shift 2
  stamp="$lib.pom.sha256"
  want="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [ ! -d "$lib" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    command -v mvn >/dev/null 2>&1 || { echo "system: $pom needs Maven (mvn not found)" >&2; return 1; }
    echo "system: fetching the jars of $pom" >&2
    rm -rf "$lib"
    mvn -q -B -f "$pom" -Dmaven.repo.local="$PWD/.cache/m2" \
      dependency:copy-dependencies -DoutputDirectory="$lib" -DincludeScope=runtime "$@" || return 1
    echo "$want" >"$stamp"
  fi
}

# ensure_kafka: the jars of a Kafka 4.4 broker (scripts/kafka/pom.xml) in
# .cache/kafka/lib, copied by Maven (its repository in .cache/m2) when the
# pom changed. scripts/kafka/start-broker runs it. Exports LAKEPORT_KAFKA_LIB.
ensure_kafka() {
  maven_jars scripts/kafka/pom.xml "$PWD/.cache/kafka/lib" || return 1
  export LAKEPORT_KAFKA_LIB="$PWD/.cache/kafka/lib"
}

# ensure_flink_venv: .venv-flink from python/requirements-flink.txt (PyFlink
# 2.3 with its mini cluster, about 0.9 GB; its pins clash with Airflow's),
# and the jars the generated Flink pipelines load (scripts/flink/pom.xml:
# the Kafka SQL connector, the Parquet format, Hadoop's client) copied by
# Maven into .cache/flink/lib when the pom changed. Exports
# LAKEPORT_FLINK_VENV and LAKEPORT_FLINK_JARS.
ensure_flink_venv() {
  PIP_CACHE_DIR="$PWD/.cache/pip" install_venv "$PWD/.venv-flink" python/requirements-flink.txt || return 1
  # Only the listed jars: each is a shaded bundle of what it needs.
  maven_jars scripts/flink/pom.xml "$PWD/.cache/flink/lib" -DexcludeTransitive=true || return 1
  export LAKEPORT_FLINK_VENV="$PWD/.venv-flink" LAKEPORT_FLINK_JARS="$PWD/.cache/flink/lib"
}
