using MRISpineSeg.Cli;

return HugePageRelaunch.TryRelaunch(args) ?? SpinesegApp.Run(args, Console.Out, Console.Error);
