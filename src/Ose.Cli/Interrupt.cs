using System.Runtime.InteropServices;

namespace Ose.Cli;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM (what `kill`, a scheduler or a container stop sends): the first asks the command to stop
/// at its next safe point (a training step, an evaluation, a round), keeping every checkpoint; a second stops the
/// process at once.
/// </summary>
sealed class Interrupt : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration[] registrations;

    public Interrupt() => registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];

    public CancellationToken Token => source.Token;

    /// <summary>The signal that asked to stop, once one did.</summary>
    public PosixSignal? Signal { get; private set; }

    public bool Requested => Signal is not null;

    private void Handle(PosixSignalContext context)
    {
        if (Requested)
        {
            context.Cancel = false;
            Environment.Exit(Failures.Interrupted);
        }
        context.Cancel = true;
        Signal = context.Signal;
        source.Cancel();
    }

    /// <summary>The line said when a command stopped for the signal.</summary>
    public string Describe(string? folder) =>
        $"interrupted by {Signal}; " + (folder is null
            ? "nothing was lost: run the same command again"
            : $"finished work and checkpoints are kept in {folder}: run the same command to resume");

    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
        source.Dispose();
    }
}
