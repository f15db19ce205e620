using System.CommandLine;
using Ose;
using Ose.Cli;

// The `ose` command: thin on purpose. Parsing here, work in the libraries, and one rule for errors:
// a user's mistake is one line on stderr and exit code 2; anything else is a bug and keeps its trace.
Ose.Models.OpenMpWaiting.PreferPassive(); // before libtorch loads: it reads the setting once
var root = new RootCommand("OseToolkit: extract small, fast students from a large Transformer (optimal subarchitecture extraction)")
{
    SearchCommand.Create(),
    DataCommand.Create(),
    PretrainCommand.Create(),
    FinetuneCommand.Create(),
    AgoraCommand.Create(),
    ExportCommand.Create(),
    RunCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
{
    Console.Error.WriteLine($"ose: {parse.Errors[0].Message}");
    return 2;
}

using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C: stop after the evaluation in flight and write what was found; a second one kills.
    e.Cancel = !interrupt.IsCancellationRequested;
    interrupt.Cancel();
};

try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, interrupt.Token);
}
catch (UserInputException e)
{
    Console.Error.WriteLine($"ose: {e.Message}");
    return 2;
}
