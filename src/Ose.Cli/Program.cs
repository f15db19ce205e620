using System.CommandLine;
using Ose.Cli;

// The `ose` command: thin on purpose. Parsing here, work in the libraries, and every way a command ends decided in one
// place (Failures): a mistake of the user's or a fault of the machine is one line and exit code 2, an interrupt one line
// and 130, anything else a bug with its trace.
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
    InspectCommand.Create(),
    ExtractCommand.Create(),
    TrainHeadCommand.Create(),
    CompareErrorsCommand.Create(),
    WorkerCommand.Create(),
    StatusCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
{
    Console.Error.WriteLine($"ose: {string.Join("; ", parse.Errors.Select(e => OptionRules.Describe(e).TrimEnd('.')).Distinct())}");
    return Failures.UserError;
}

using var interrupt = new Interrupt();
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, interrupt.Token);
}
catch (OperationCanceledException) when (interrupt.Requested)
{
    Console.Error.WriteLine($"ose: {interrupt.Describe(OutputFolder.Current)}");
    return Failures.Interrupted;
}
catch (Exception e) when (Failures.OneLine(e) is { } line)
{
    Console.Error.WriteLine($"ose: {line}");
    return Failures.UserError;
}
