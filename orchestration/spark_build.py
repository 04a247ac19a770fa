"""dbt on Spark: the `spark` target of profiles.yml (dbt-spark, session mode, a local PySpark).

    python -m orchestration.spark_build run --select +individual_activity --vars '{...}'

Any dbt command and arguments; `--target spark` is added. The SparkSession is started here,
before dbt, with the settings below and the project's Python SQL functions registered on it:
dbt-spark's session mode takes the process's session (`getOrCreate`), so the models call them
as they call the functions the dbt-duckdb plugins register on every DuckDB connection
(profiles.yml). `make test-spark` installs what this needs (.venv-spark).
"""

from __future__ import annotations

import glob
import os
import sys
from pathlib import Path

from orchestration.settings import REPO_ROOT

# The metastore and the tables of a build (one Spark database per dbt schema)
SPARK_WAREHOUSE_DIR_VARIABLE = "SPARK_WAREHOUSE_DIR"
DEFAULT_SPARK_WAREHOUSE_DIR = REPO_ROOT / "spark-warehouse"


def spark_settings(warehouse_dir: Path) -> dict[str, str]:
    """The session's settings: local, small, UTC."""
    return {
        "spark.master": "local[2]",
        "spark.driver.memory": "2g",
        "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.sources.default": "parquet",
        # Parquet's standard timestamps (Spark writes a legacy INT96 otherwise)
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
        "spark.sql.catalogImplementation": "hive",
        "spark.sql.warehouse.dir": str(warehouse_dir / "tables"),
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={warehouse_dir / 'metastore'}",
    }


def register_project_functions(spark) -> None:
    """The SQL functions the models call that Spark does not have, from the same Python as on
    DuckDB: the RNVP functions (declared in rnvp/sql_functions.py), the GDPR subject hash,
    DuckDB's built-in Jaro-Winkler similarity (the same algorithm, rapidfuzz), and
    path_exists for the macros (a file listing fails on a missing path)."""
    from pyspark.sql import types
    from rapidfuzz.distance import JaroWinkler

    from orchestration.gdpr_salt import hash_salt, subject_hash
    from rnvp.sql_functions import RNVP_FUNCTIONS, rules_version

    def result_type(function):
        if not function.text_fields:
            return types.StringType()
        fields = [types.StructField(field, types.StringType()) for field in function.text_fields]
        if function.list_field:
            fields.append(types.StructField(function.list_field,
                                            types.ArrayType(types.StringType())))
        return types.StructType(fields)

    for function in RNVP_FUNCTIONS:  # Spark takes the arguments' types from the call
        spark.udf.register(function.name, function.row_function, result_type(function))
    salt = hash_salt()
    version = rules_version()
    spark.udf.register("rnvp_rules_version", lambda: version, types.StringType())
    spark.udf.register("gdpr_subject_hash", lambda value: subject_hash(value, salt),
                       types.StringType())
    spark.udf.register(
        "jaro_winkler_similarity",
        lambda left, right: None if left is None or right is None
        else JaroWinkler.similarity(left, right),
        types.DoubleType())
    # as DuckDB's glob(): a pattern or a file: URI, relative to the driver's folder
    driver_folder = os.getcwd()
    spark.udf.register(
        "path_exists",
        lambda path: path is not None and bool(
            glob.glob(os.path.join(driver_folder, path.removeprefix("file:")))),
        types.BooleanType())


def start_session(warehouse_dir: Path):
    """The process's SparkSession, which dbt-spark's session mode will take."""
    # the Python workers import the rnvp functions from the repository (local mode)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in spark_settings(warehouse_dir).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    register_project_functions(spark)
    return spark


def main(argv: list[str] | None = None) -> int:
    """Run dbt with these arguments on the spark target; its exit code."""
    from dbt.cli.main import dbtRunner

    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    warehouse_dir = Path(os.environ.get(SPARK_WAREHOUSE_DIR_VARIABLE, DEFAULT_SPARK_WAREHOUSE_DIR))
    spark = start_session(warehouse_dir.resolve())
    try:
        # its own target folder: target/manifest.json is DuckDB's, which Dagster reads
        result = dbtRunner().invoke([*arguments, "--target", "spark",
                                     "--target-path", str(REPO_ROOT / "target" / "spark"),
                                     "--project-dir", str(REPO_ROOT),
                                     "--profiles-dir", str(REPO_ROOT)])
    finally:
        spark.stop()
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
