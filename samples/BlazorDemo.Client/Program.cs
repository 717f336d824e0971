using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
// The signed-in user from the page the server rendered, then kept current from the session endpoint;
// an HttpClient for this site's APIs with the session cookies. No token reaches WebAssembly.
builder.Services.AddCognitoBlazorClient();
await builder.Build().RunAsync();
