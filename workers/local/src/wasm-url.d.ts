// Vite turns `?url` imports into the URL of the asset it emits on our own origin.
declare module '*?url' {
  const url: string
  export default url
}
