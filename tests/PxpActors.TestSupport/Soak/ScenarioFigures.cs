namespace PxpActors.TestSupport.Soak;

/// <summary>The host's samples around one scenario: before it, the peak while it ran, and after it settled.</summary>
public sealed record ScenarioFigures(string Scenario, TimeSpan Took, ProcessSample Before, ProcessSample Peak, ProcessSample After, SoakOutcome Outcome)
{
    public override string ToString() =>
        $"{Scenario} ({Took.TotalSeconds:0.0} s; {Outcome})\n  before: {Before}\n  peak:   {Peak}\n  after:  {After}";
}
