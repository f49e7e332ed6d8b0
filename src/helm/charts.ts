// Registers the chart adapters the CLI knows. Each loads its construct only when used.
export {};
