import { Construct } from 'constructs';

/** What the adapter of one Helm chart provides to the CLI and tests. */
export interface HelmValuesContext {
  /** The Helm release name (`helm install <release>`); object names derive from it like the chart's. */
  readonly release: string;
  /** The namespace (`-n`). */
  readonly namespace: string;
  /**
   * Called for a value the chart renders although it is almost surely a mistake (tensor
   * parallelism 0, which the chart turns into its default; an endpoint picker with 0 replicas,
   * which renders 1). The CLI prints these on stderr.
   * @default warnings are dropped
   */
  readonly warn?: (warning: ValuesWarning) => void;
}

/** A value rendered as the chart renders it, with what it became and why that is likely not what was meant. */
export interface ValuesWarning {
  /** Values key path, e.g. `decode.parallelism.tensor`. */
  readonly field: string;
  /** The value given. */
  readonly value: unknown;
  /** What the chart renders instead, and what to write. */
  readonly message: string;
}

/** One supported chart: its values become construct props, then a construct. */
export interface HelmChartAdapter {
  /** Name on the command line, e.g. `furiosa-modelservice`. */
  readonly cliName: string;
  /** The chart and version whose values are understood. */
  readonly chart: string;
  /** Exported construct class the props are for (used by `convert`). */
  readonly className: string;
  /** Values (already merged) to plain-data props; throws LlmdValidationError naming the key. */
  toProps(values: Record<string, unknown>, ctx: HelmValuesContext): object;
  /** Builds the construct from props. */
  create(scope: Construct, id: string, props: object): Construct;
  /**
   * What the chart renders beside the construct, built from the same values after it (the router
   * chart's HTTPRoute); `convert` prints the props only.
   */
  addCompanions?(scope: Construct, id: string, construct: Construct, values: Record<string, unknown>, ctx: HelmValuesContext): void;
}

const adapters = new Map<string, () => HelmChartAdapter>();

/** Registers an adapter lazily so the CLI loads only the construct it renders. */
export function registerHelmChart(cliName: string, load: () => HelmChartAdapter): void {
  adapters.set(cliName, load);
}

export function helmChart(cliName: string): HelmChartAdapter | undefined {
  return adapters.get(cliName)?.();
}

export function helmChartNames(): string[] {
  return [...adapters.keys()];
}
