using MRISpineSeg.Cli;

return SpinesegApp.Run(args, Console.Out, Console.Error);
