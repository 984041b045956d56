import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL } from '../shared/rpc/preload-bridge';
import { DESKTOP_BRIDGE_GLOBAL } from '../shared/desktop-bridge';
import { contract } from '../shared/contract';
import { createPreloadBridge } from './bridge';
import { createDesktopBridge } from './desktop-bridge';

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createPreloadBridge(ipcRenderer, contract));
contextBridge.exposeInMainWorld(DESKTOP_BRIDGE_GLOBAL, createDesktopBridge(ipcRenderer));
