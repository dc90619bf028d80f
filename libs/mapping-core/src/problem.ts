// The error the compilers throw for something in a rule that cannot run (a bad pattern, path or
// template). validateMapping catches it and reports it against the rule and field it came from;
// compileMapping lets it through, because it is only given mappings that validated.

export class MappingProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingProblem';
  }
}
