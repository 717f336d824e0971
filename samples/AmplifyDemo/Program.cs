using Cognito.AmplifyDemo;

AmplifyDemoApp.Build(args).Run();
