/** Entry point: mounts the app; if even that fails, says so in the page. */
import { render } from 'preact';
import { App } from './app.js';
import './styles.css';

const root = document.getElementById('app');
if (root !== null) {
  try {
    root.textContent = '';
    render(<App />, root);
  } catch (error) {
    root.innerHTML = '';
    const message = document.createElement('p');
    message.className = 'error-box';
    message.textContent = `The spanlite UI failed to start: ${(error as Error).message}`;
    root.append(message);
  }
}
