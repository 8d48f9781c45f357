/**
 * How long a test waits for an external tool it starts (Python with Great
 * Expectations, Soda, dbt, the OpenLineage client): sized for a cold start
 * on a loaded 2-core machine (imports of GE alone take tens of seconds
 * there), never Jest's 5-second default.
 */
export const EXTERNAL_TOOL_TIMEOUT_MS = 5 * 60_000;

/** The Jest timeout of a test that runs one external tool: the tool's plus slack. */
export const EXTERNAL_TOOL_TEST_TIMEOUT_MS = EXTERNAL_TOOL_TIMEOUT_MS + 60_000;
